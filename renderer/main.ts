/**
 * The page: wires the graph, the panel, the board, the missing list, search, filters, jobs,
 * drag-and-drop, export and keyboard to the one API client.
 */
import {
  DIRECTIONS,
  DIRECTION_NAMES,
  type ClusterInfo,
  type DirectionId,
  type ExportFormat,
  type GraphData,
  type JobView,
  type LibraryInfo,
  type MenuCommand,
  type PaperRow,
  type PaperView,
  type SearchResult,
  type ServerEvent,
} from '../api/types.js';
import { History, renderBoard, type Move } from './board.js';
import { ApiError, createClient } from './client.js';
import { $, clear, debounce, h, shortTitle } from './dom.js';
import { collectDropped } from './drop.js';
import { clusterColor, DIRECTION_COLORS, GraphView, type ColorMode, type Theme } from './graph-view.js';
import { renderPanel } from './panel.js';

type View = 'graph' | 'board' | 'missing';
/** A job as the tray shows it: the server's jobs, plus the page's own upload step. */
type ShownJob = Omit<JobView, 'kind'> & { kind: JobView['kind'] | 'upload' };

const FORMAT_LABELS: Record<ExportFormat, string> = {
  markdown: 'Markdown outline (.md)',
  latex: 'LaTeX outline (.tex)',
  bibtex: 'BibTeX references (.bib)',
  json: 'JSON outline, for other tools (.json)',
  graphml: 'GraphML graph, for Gephi or Cytoscape (.graphml)',
};

const client = createClient();
const history = new History();

const state = {
  info: null as LibraryInfo | null,
  papers: [] as PaperRow[],
  graph: { nodes: [], edges: [], clusters: [] } as GraphData,
  selected: null as number | null,
  view: 'graph' as View,
  jobs: new Map<string, ShownJob>(),
  hits: [] as SearchResult[],
  filters: {
    from: null as number | null,
    to: null as number | null,
    dirs: new Set<string>([...DIRECTIONS, 'none']),
    cluster: '',
  },
};

// ---- theme ----------------------------------------------------------------------------------

function readTheme(): Theme {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();

  return {
    text: v('--text'),
    textHalo: v('--bg'),
    edge: v('--edge'),
    clusterFill: v('--cluster-fill'),
    clusterBorder: v('--cluster-border'),
    selected: v('--accent'),
  };
}

function setTheme(theme: 'light' | 'dark'): void {
  document.documentElement.dataset.theme = theme;
  localStorage.setItem('surveyor-theme', theme);
  graph?.setTheme(readTheme());
}

const savedTheme = localStorage.getItem('surveyor-theme');
document.documentElement.dataset.theme =
  savedTheme === 'dark' || savedTheme === 'light'
    ? savedTheme
    : matchMedia('(prefers-color-scheme: dark)').matches
      ? 'dark'
      : 'light';

// ---- toasts and errors ------------------------------------------------------------------------

let toastTimer: ReturnType<typeof setTimeout> | undefined;

function toast(message: string, action?: { label: string; run: () => void }, kind: 'info' | 'error' = 'info'): void {
  const el = $('#toast');
  clear(el);
  el.className = `toast ${kind}`;
  el.append(h('span', {}, message));
  if (action)
    el.append(h('button', { class: 'link', onclick: () => (action.run(), (el.hidden = true)) }, action.label));
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (el.hidden = true), kind === 'error' ? 9000 : 5000);
}

function report(err: unknown): void {
  const message = err instanceof ApiError || err instanceof Error ? err.message : String(err);
  toast(message, undefined, 'error');
}

// ---- graph ------------------------------------------------------------------------------------

const graph = new GraphView(
  $('#cy'),
  {
    onSelect: (id) => void select(id),
    bottomInset: () => {
      const legend = $('#legend');
      return legend.offsetHeight ? legend.offsetHeight + 10 : 0;
    },
    onLayoutProgress: (done, total, papers) => {
      $('#status').textContent = `Laying out ${papers.toLocaleString('en')} papers: ${done} of ${total} topics…`;
    },
    cache: {
      load: async (key) => (await client.call('layout', { key }))?.positions ?? null,
      save: async (key, positions) => void (await client.call('saveLayout', { key, positions })),
    },
  },
  readTheme(),
);
(window as unknown as { surveyorGraph: GraphView }).surveyorGraph = graph;

function findCluster(c: unknown): ClusterInfo | undefined {
  return state.graph.clusters.find((k) => String(k.id) === String(c));
}

function clusterLabel(c: unknown): string {
  return findCluster(c)?.label ?? `topic ${String(c)}`;
}

function renderLegend(): void {
  const mode = ($('#color-mode') as HTMLSelectElement).value as ColorMode;
  const legend = $('#legend');
  clear(legend);
  if (mode === 'direction') {
    for (const d of DIRECTIONS) legend.append(h('span', {}, h('i', { class: `swatch dir-${d}` }), DIRECTION_NAMES[d]));
    legend.append(h('span', {}, h('i', { class: 'swatch dir-none' }), 'not yet sorted'));
  } else {
    const order = new Map(state.graph.clusters.map((c, i) => [String(c.id), i]));
    for (const c of state.graph.clusters.slice(0, 12)) {
      const sw = h('i', { class: 'swatch' });
      sw.style.background = clusterColor(c.id, order);
      legend.append(h('span', {}, sw, c.label));
    }
  }
}

// ---- loading ----------------------------------------------------------------------------------

async function refresh(relayout: boolean): Promise<void> {
  const [info, papers] = await Promise.all([client.call('info'), client.call('papers')]);
  state.info = info;
  state.papers = papers;
  if (relayout) {
    const data = await client.call('graph');
    // A newer refresh overtook this one while it was laying out: that one shows its own graph.
    if (!(await graph.load(data))) return;
    state.graph = data;
    ($('#show-similar') as HTMLInputElement).checked = graph.similarVisible;
    fillClusterFilter(state.graph.clusters);
    document.body.dataset.graphReady = String(state.graph.nodes.length);
  } else {
    graph.updateDirections(new Map(papers.map((p) => [p.id, (p.direction as DirectionId | undefined) ?? null])));
  }
  applyFilters();
  renderLegend();
  renderStatus();
  $('#empty').hidden = info.paperCount > 0;
  $('#build').hidden = !(info.capabilities.build || info.capabilities.embed);
  $('#build').textContent = info.capabilities.build ? 'Build' : 'Embed';
  if (state.view === 'missing') void renderMissing();
  if (state.selected !== null && !papers.some((p) => p.id === state.selected)) void select(null);
}

function renderStatus(): void {
  const cites = state.graph.edges.filter((e) => e.kind === 'cites').length;
  const parts = [
    `${state.papers.length} papers`,
    `${cites} citations`,
    state.graph.clusters.length ? `${state.graph.clusters.length} topics` : '',
  ];
  $('#status').textContent = parts.filter(Boolean).join(' · ');
}

function fillClusterFilter(clusters: ClusterInfo[]): void {
  const sel = $('#cluster-filter') as HTMLSelectElement;
  const keep = sel.value;
  clear(sel);
  sel.append(h('option', { value: '' }, 'all'));
  for (const c of clusters) sel.append(h('option', { value: String(c.id) }, `${c.label} (${c.size})`));
  sel.value = clusters.some((c) => String(c.id) === keep) ? keep : '';
  state.filters.cluster = sel.value;
}

// ---- filters ----------------------------------------------------------------------------------

function visible(p: Pick<PaperRow, 'year' | 'direction' | 'cluster'>): boolean {
  const f = state.filters;
  if (f.from !== null && (p.year ?? 0) < f.from) return false;
  if (f.to !== null && (p.year ?? 9999) > f.to) return false;
  if (!f.dirs.has((p.direction as string | null | undefined) ?? 'none')) return false;

  return !f.cluster || String(p.cluster ?? '') === f.cluster;
}

function applyFilters(): void {
  const byId = new Map(state.papers.map((p) => [p.id, p]));
  graph.applyFilter((id) => {
    const p = byId.get(id);
    return p ? visible(p) : true;
  });
  if (state.view === 'board') drawBoard();
}

function setupFilters(): void {
  const dirs = $('#dir-filter');
  for (const d of [...DIRECTIONS, 'none'] as const) {
    const box = h('input', {
      type: 'checkbox',
      checked: true,
      value: d,
      'aria-label': d === 'none' ? 'not yet sorted' : DIRECTION_NAMES[d],
    });
    box.addEventListener('change', () => {
      if (box.checked) state.filters.dirs.add(d);
      else state.filters.dirs.delete(d);
      applyFilters();
    });
    dirs.append(
      h(
        'label',
        { class: 'dir-toggle', title: d === 'none' ? 'not yet sorted' : DIRECTION_NAMES[d] },
        box,
        h('i', { class: `swatch dir-${d}` }),
      ),
    );
  }
  const year = (sel: string) => {
    const v = ($(sel) as HTMLInputElement).value;
    return v ? Number(v) : null;
  };
  const onYear = debounce(() => {
    state.filters.from = year('#year-from');
    state.filters.to = year('#year-to');
    applyFilters();
  }, 250);
  $('#year-from').addEventListener('input', onYear);
  $('#year-to').addEventListener('input', onYear);
  $('#cluster-filter').addEventListener('change', (e) => {
    state.filters.cluster = (e.target as HTMLSelectElement).value;
    applyFilters();
  });
  $('#color-mode').addEventListener('change', (e) => {
    graph.setColorMode((e.target as HTMLSelectElement).value as ColorMode);
    renderLegend();
  });
  $('#show-similar').addEventListener('change', (e) => graph.setSimilarVisible((e.target as HTMLInputElement).checked));
}

// ---- selection and the panel ------------------------------------------------------------------

let selectSeq = 0;

async function select(id: number | null, center = false): Promise<void> {
  state.selected = id;
  graph.select(id, center);
  document.querySelectorAll('.card.selected').forEach((c) => c.classList.remove('selected'));
  if (id !== null) document.querySelector(`.card[data-id="${id}"]`)?.classList.add('selected');
  const seq = ++selectSeq;
  if (id === null) {
    showPanel(null);
    return;
  }
  try {
    const paper = await client.call('paper', { id });
    if (seq === selectSeq) showPanel(paper);
  } catch (err) {
    report(err);
  }
}

function showPanel(paper: PaperView | null): void {
  const panel = $('#panel');
  const wasHidden = panel.hidden;
  renderPanel(panel, paper, panelActions);
  if (wasHidden !== panel.hidden && state.view === 'graph') graph.resize();
}

const panelActions = {
  select: (id: number) => void select(id, true),
  openPdf: (id: number) => client.openPdf(id),
  close: () => void select(null),
  topicName: (cluster: number | string) => findCluster(cluster)?.label ?? null,
  showTopic: (cluster: number | string) => {
    // As if the reader had picked it in the Topic menu: its change handler filters the graph.
    const sel = $('#cluster-filter') as HTMLSelectElement;
    sel.value = String(cluster);
    sel.dispatchEvent(new Event('change'));
  },
};

/** ← and → step through the visible papers in graph order. */
function step(delta: number): void {
  const ids = state.papers.filter(visible).map((p) => p.id);
  if (!ids.length) return;
  const i = state.selected === null ? -1 : ids.indexOf(state.selected);
  const next = ids[(i + delta + ids.length) % ids.length];
  void select(next, true);
}

// ---- views ------------------------------------------------------------------------------------

function showView(view: View): void {
  state.view = view;
  for (const v of ['graph', 'board', 'missing'] as View[]) $(`#view-${v}`).hidden = v !== view;
  document
    .querySelectorAll<HTMLButtonElement>('.tabs button')
    .forEach((b) => b.setAttribute('aria-selected', String(b.dataset.view === view)));
  $('#filters').dataset.view = view;
  if (view === 'graph') graph.resize();
  if (view === 'board') drawBoard();
  if (view === 'missing') void renderMissing();
}

function drawBoard(): void {
  renderBoard(
    $('#view-board'),
    state.papers,
    visible,
    clusterLabel,
    { move: (id, to) => void move(id, to), select: (id) => void select(id) },
    state.selected,
  );
}

async function move(id: number, to: DirectionId, record = true): Promise<void> {
  const p = state.papers.find((x) => x.id === id);
  if (!p) return;
  if (!state.info?.capabilities.directions)
    return toast('Directions cannot be corrected yet in this build.', undefined, 'error');
  const from = {
    direction: (p.direction as DirectionId | null | undefined) ?? null,
    source: (p.directionSource as 'auto' | 'user' | null | undefined) ?? null,
  };
  if (from.direction === to && from.source === 'user') return;
  try {
    const r = await client.call('setDirection', { id, direction: to });
    Object.assign(p, { direction: r.direction, directionSource: r.source });
    if (record) history.push({ id, from, to });
    afterDirectionChange(id);
    toast(`“${shortTitle(p.title, 50)}” → ${DIRECTION_NAMES[to]}`, { label: 'Undo', run: () => void undo() });
  } catch (err) {
    report(err);
  }
}

async function applyMove(m: Move, forward: boolean): Promise<void> {
  const target = forward ? m.to : m.from.source === 'user' && m.from.direction ? m.from.direction : 'auto';
  const r = await client.call('setDirection', { id: m.id, direction: target });
  const p = state.papers.find((x) => x.id === m.id);
  if (p) Object.assign(p, { direction: r.direction, directionSource: r.source });
  afterDirectionChange(m.id);
}

function afterDirectionChange(id: number): void {
  const p = state.papers.find((x) => x.id === id);
  graph.updateDirections(new Map([[id, (p?.direction as DirectionId | null | undefined) ?? null]]));
  if (state.view === 'board') {
    drawBoard();
    (document.querySelector(`.card[data-id="${id}"]`) as HTMLElement | null)?.focus();
  }
  if (state.selected === id) void select(id);
}

async function undo(): Promise<void> {
  const m = history.takeUndo();
  if (!m) return toast('Nothing to undo.');
  await applyMove(m, false).catch(report);
  toast('Undone.', { label: 'Redo', run: () => void redo() });
}

async function redo(): Promise<void> {
  const m = history.takeRedo();
  if (!m) return toast('Nothing to redo.');
  await applyMove(m, true).catch(report);
}

async function renderMissing(): Promise<void> {
  const root = $('#view-missing');
  if (!state.info?.capabilities.missing) {
    clear(root);
    root.append(h('p', { class: 'muted pad' }, 'The missing-papers list appears once the citation graph is built.'));
    return;
  }
  const list = await client.call('missing', { limit: 200 });
  clear(root);
  root.append(
    h('h2', {}, 'Most cited by your library, not in it'),
    list.length === 0
      ? h(
          'p',
          { class: 'muted' },
          'Nothing is missing: no reference is cited by two or more of your papers without being in the library.',
        )
      : h(
          'table',
          { class: 'missing-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, '#'),
              h('th', {}, 'Title'),
              h('th', {}, 'Year'),
              h('th', {}, 'Identifier'),
              h('th', { title: 'Library papers citing it' }, 'Cited by'),
            ),
          ),
          h(
            'tbody',
            {},
            list.map((m, i) =>
              h(
                'tr',
                {},
                h('td', {}, String(i + 1)),
                h('td', {}, m.title ?? '(no title)'),
                h('td', {}, m.year ? String(m.year) : ''),
                h('td', {}, m.arxivId ? `arXiv:${m.arxivId}` : m.doi ? `doi:${m.doi}` : ''),
                h('td', { class: 'num' }, String(m.citedBy)),
              ),
            ),
          ),
        ),
  );
}

// ---- search -----------------------------------------------------------------------------------

let searchSeq = 0;

const runSearch = debounce(async (query: string) => {
  const seq = ++searchSeq;
  const list = $('#search-results');
  if (!query.trim()) {
    state.hits = [];
    list.hidden = true;
    graph.highlight([]);
    return;
  }
  try {
    const hits = await client.call('search', { query, limit: 30 });
    if (seq !== searchSeq) return;
    state.hits = hits;
    clear(list);
    list.hidden = false;
    if (!hits.length)
      list.append(h('li', { class: 'muted', role: 'option', 'aria-disabled': 'true' }, 'No paper matches.'));
    hits.forEach((hit, i) =>
      list.append(
        h(
          'li',
          { role: 'option', id: `hit-${i}`, 'data-id': hit.id, onclick: () => pickHit(hit.id) },
          h('span', { class: 'hit-title' }, shortTitle(hit.title, 80)),
          h('span', { class: 'muted' }, ` ${hit.year ?? ''}${hit.via === 'semantic' ? ' · similar meaning' : ''}`),
        ),
      ),
    );
    graph.highlight(hits.map((x) => x.id));
  } catch (err) {
    report(err);
  }
}, 200);

function pickHit(id: number): void {
  $('#search-results').hidden = true;
  if (state.view !== 'graph' && state.view !== 'board') showView('graph');
  void select(id, true);
}

function setupSearch(): void {
  const input = $('#search') as HTMLInputElement;
  const list = $('#search-results');
  let active = -1;
  input.addEventListener('input', () => {
    active = -1;
    runSearch(input.value);
  });
  input.addEventListener('keydown', (e) => {
    const items = [...list.querySelectorAll<HTMLElement>('li[data-id]')];
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      active = Math.max(0, Math.min(items.length - 1, active + (e.key === 'ArrowDown' ? 1 : -1)));
      items.forEach((el, i) => el.setAttribute('aria-selected', String(i === active)));
      input.setAttribute('aria-activedescendant', items[active]?.id ?? '');
    } else if (e.key === 'Enter') {
      const el = items[Math.max(active, 0)];
      if (el) pickHit(Number(el.dataset.id));
    } else if (e.key === 'Escape') {
      input.value = '';
      runSearch('');
      input.blur();
    }
  });
}

// ---- jobs -------------------------------------------------------------------------------------

const baseName = (file: string) => file.split(/[\\/]/).pop() ?? file;

const JOB_NAMES: Record<string, string> = {
  ingest: 'Reading PDFs',
  embed: 'Embedding',
  build: 'Building graph & topics',
  upload: 'Uploading',
};

function renderJobs(): void {
  const root = $('#jobs');
  clear(root);
  for (const j of state.jobs.values()) {
    const active = j.state === 'running' || j.state === 'queued';
    const pct = j.total > 0 ? Math.round((100 * j.done) / j.total) : 0;
    root.append(
      h(
        'div',
        { class: `job ${j.state}`, 'data-job': j.id, 'data-kind': j.kind, 'data-job-state': j.state },
        h(
          'span',
          { class: 'job-name' },
          JOB_NAMES[j.kind] ?? j.kind,
          j.phase && j.phase !== j.kind ? ` · ${j.phase}` : '',
        ),
        active
          ? h('progress', {
              max: Math.max(j.total, 1),
              value: j.done,
              'aria-label': `${JOB_NAMES[j.kind] ?? j.kind} progress`,
            })
          : null,
        h(
          'span',
          { class: 'job-text' },
          active
            ? j.state === 'queued'
              ? 'waiting…'
              : `${j.done}/${j.total}${j.total ? ` (${pct}%)` : ''}${j.item ? ` · ${baseName(j.item)}` : ''}`
            : (j.summary ?? j.state),
        ),
        j.failures?.length
          ? h(
              'details',
              { class: 'failures' },
              h('summary', {}, `${j.failures.length} failed`),
              h(
                'ul',
                {},
                j.failures.map((f) => h('li', {}, f.error)),
              ),
            )
          : null,
        active && j.kind !== 'upload'
          ? h(
              'button',
              {
                class: 'cancel',
                onclick: () => void client.call('cancelJob', { jobId: j.id }).catch(report),
                'aria-label': `Cancel ${JOB_NAMES[j.kind] ?? j.kind}`,
              },
              'Cancel',
            )
          : h(
              'button',
              {
                class: 'icon',
                title: 'Dismiss',
                'aria-label': 'Dismiss',
                onclick: () => (state.jobs.delete(j.id), renderJobs()),
              },
              '×',
            ),
      ),
    );
  }
  root.hidden = state.jobs.size === 0;
}

const refreshSoon = debounce((relayout: boolean) => void refresh(relayout).catch(report), 150);
let pendingRelayout = false;
let lastGrow = 0;

function onEvent(e: ServerEvent): void {
  if (e.type === 'job') {
    const before = state.jobs.get(e.job.id);
    state.jobs.set(e.job.id, e.job);
    renderJobs();
    // Show papers as they arrive: refresh the graph when a step ends, and every so often during ingest.
    if (e.job.state !== 'running' && e.job.state !== 'queued' && before?.state !== e.job.state) {
      pendingRelayout = true;
    } else if (e.job.kind === 'ingest' && e.job.state === 'running' && Date.now() - lastGrow > 4000 && e.job.done > 0) {
      // Watch the library grow while a long ingest runs: new papers join the graph every few seconds.
      lastGrow = Date.now();
      refreshSoon(true);
    }
  } else if (e.type === 'library-changed') {
    const relayout = pendingRelayout || e.reason !== 'direction';
    pendingRelayout = false;
    refreshSoon(relayout);
  } else if (e.type === 'command') {
    runCommand(e.name);
  }
}

// ---- adding files -----------------------------------------------------------------------------

async function addFiles(files: File[]): Promise<void> {
  const pdfs =
    client.kind === 'ipc' ? files : files.filter((f) => /\.pdf$/i.test(f.name) || f.type === 'application/pdf');
  if (!pdfs.length) return toast('No PDF files in what was dropped.', undefined, 'error');
  const uploadId = 'upload';
  const show = (done: number, total: number) => {
    state.jobs.set(uploadId, {
      id: uploadId,
      kind: 'upload',
      state: done < total ? 'running' : 'done',
      phase: 'upload',
      done,
      total,
      summary: `${total} uploaded`,
    });
    renderJobs();
  };
  try {
    if (client.kind === 'http') show(0, pdfs.length);
    await client.addFiles(pdfs, show);
    state.jobs.delete(uploadId);
    renderJobs();
  } catch (err) {
    state.jobs.delete(uploadId);
    renderJobs();
    report(err);
  }
}

async function pickFiles(what: 'files' | 'folder' = 'files'): Promise<void> {
  if (client.pickAndAdd) {
    await client.pickAndAdd(what).catch(report);
    return;
  }
  ($(what === 'folder' ? '#folder-input' : '#file-input') as HTMLInputElement).click();
}

function setupDrop(): void {
  const overlay = $('#drop-overlay');
  let depth = 0;
  const hasFiles = (e: DragEvent) => !!e.dataTransfer?.types.includes('Files');
  window.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    depth++;
    overlay.hidden = false;
  });
  window.addEventListener('dragleave', (e) => {
    if (!hasFiles(e)) return;
    depth = Math.max(0, depth - 1);
    if (depth === 0) overlay.hidden = true;
  });
  window.addEventListener('dragover', (e) => {
    if (hasFiles(e)) e.preventDefault();
  });
  window.addEventListener('drop', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth = 0;
    overlay.hidden = true;
    void collectDropped(e.dataTransfer!, client.kind === 'ipc').then(addFiles, report);
  });
  for (const input of [$('#file-input'), $('#folder-input')] as HTMLInputElement[]) {
    input.addEventListener('change', () => {
      void addFiles([...(input.files ?? [])]);
      input.value = '';
    });
  }
}

// ---- export -----------------------------------------------------------------------------------

function openExport(): void {
  const dialog = $('#export-dialog') as HTMLDialogElement;
  const formats = state.info?.exportFormats ?? [];
  const box = $('#export-formats');
  clear(box);
  box.append(h('legend', {}, 'Format'));
  if (!formats.length) box.append(h('p', { class: 'muted' }, 'Export is not available in this build yet.'));
  formats.forEach((f, i) =>
    box.append(
      h(
        'label',
        { class: 'radio' },
        h('input', { type: 'radio', name: 'format', value: f, checked: i === 0 }),
        FORMAT_LABELS[f],
      ),
    ),
  );
  ($('#export-go') as HTMLButtonElement).disabled = !formats.length;
  $('#export-preview').hidden = true;
  $('#export-status').textContent = '';
  dialog.showModal();
}

function setupExport(): void {
  const dialog = $('#export-dialog') as HTMLDialogElement;
  $('#export-cancel').addEventListener('click', () => dialog.close());
  $('#export-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const format = (new FormData(e.target as HTMLFormElement).get('format') as ExportFormat | null) ?? 'markdown';
    $('#export-status').textContent = 'Exporting…';
    void (async () => {
      try {
        const file = await client.call('exportOutline', { format });
        const where = await client.save(file);
        const preview = $('#export-preview');
        preview.textContent = file.content.split('\n').slice(0, 40).join('\n');
        preview.hidden = false;
        $('#export-status').textContent = where ? `Saved ${where}` : 'Not saved.';
      } catch (err) {
        $('#export-status').textContent = err instanceof Error ? err.message : String(err);
      }
    })();
  });
}

// ---- keyboard and menu ------------------------------------------------------------------------

function runCommand(name: MenuCommand): void {
  const actions: Record<MenuCommand, () => void> = {
    'add-pdfs': () => void pickFiles('files'),
    'add-folder': () => void pickFiles('folder'),
    export: openExport,
    undo: () => void undo(),
    redo: () => void redo(),
    find: () => ($('#search') as HTMLInputElement).focus(),
    'zoom-in': () => graph.zoomBy(1.25),
    'zoom-out': () => graph.zoomBy(0.8),
    fit: () => graph.fit(),
    'toggle-theme': () => setTheme(document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark'),
  };
  actions[name]();
}

function setupKeys(): void {
  document.addEventListener('keydown', (e) => {
    const typing =
      e.target instanceof HTMLInputElement ||
      e.target instanceof HTMLTextAreaElement ||
      e.target instanceof HTMLSelectElement;
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    if (mod && key === 'f') return (e.preventDefault(), runCommand('find'));
    if (mod && key === 'o') return (e.preventDefault(), runCommand('add-pdfs'));
    if (mod && key === 'e') return (e.preventDefault(), runCommand('export'));
    if (typing) return;
    if (mod && key === 'z') return (e.preventDefault(), runCommand(e.shiftKey ? 'redo' : 'undo'));
    if (mod && key === 'y') return (e.preventDefault(), runCommand('redo'));
    if (mod || e.altKey) return;
    if (e.key === '/') return (e.preventDefault(), runCommand('find'));
    if (e.key === 'Escape') return void select(null);
    if (e.key === '1') return showView('graph');
    if (e.key === '2') return showView('board');
    if (e.key === '3') return showView('missing');
    if (state.view !== 'graph') return;
    if (e.key === '+' || e.key === '=') return runCommand('zoom-in');
    if (e.key === '-') return runCommand('zoom-out');
    if (e.key === '0') return runCommand('fit');
    if (e.key === 'ArrowRight' || e.key === 'j') return (e.preventDefault(), step(1));
    if (e.key === 'ArrowLeft' || e.key === 'k') return (e.preventDefault(), step(-1));
  });
}

// ---- start ------------------------------------------------------------------------------------

function setup(): void {
  document
    .querySelectorAll<HTMLButtonElement>('.tabs button')
    .forEach((b) => b.addEventListener('click', () => showView(b.dataset.view as View)));
  $('#add').addEventListener('click', () => void pickFiles('files'));
  $('#empty-add').addEventListener('click', () => void pickFiles('files'));
  $('#build').addEventListener('click', () => {
    const kind = state.info?.capabilities.build ? 'build' : 'embed';
    void client.call('startJob', { kind }).catch(report);
  });
  $('#export').addEventListener('click', openExport);
  $('#theme').addEventListener('click', () => runCommand('toggle-theme'));
  $('#zoom-in').addEventListener('click', () => runCommand('zoom-in'));
  $('#zoom-out').addEventListener('click', () => runCommand('zoom-out'));
  $('#zoom-fit').addEventListener('click', () => runCommand('fit'));
  window.addEventListener(
    'resize',
    debounce(() => graph.resize(), 100),
  );
  setupFilters();
  setupSearch();
  setupDrop();
  setupExport();
  setupKeys();
  client.onEvent(onEvent);
}

setup();
void (async () => {
  try {
    await refresh(true);
    for (const j of await client.call('jobs')) state.jobs.set(j.id, j);
    renderJobs();
  } catch (err) {
    report(err);
  } finally {
    document.body.dataset.ready = 'true';
  }
})();
