/** The side panel: everything about the selected paper, with links into the rest of the library. */
import { DIRECTION_NAMES, type PaperView } from '../api/types.js';
import { append, clear, h } from './dom.js';

export interface PanelActions {
  select(id: number): void;
  openPdf(id: number): void;
  close(): void;
  /** The name of a topic cluster, or null when the graph has no such topic. */
  topicName(cluster: number | string): string | null;
  /** Shows only that topic's papers. */
  showTopic(cluster: number | string): void;
}

export function renderPanel(root: HTMLElement, p: PaperView | null, actions: PanelActions): void {
  clear(root);
  root.hidden = p === null;
  if (!p) return;

  const meta = [
    p.year,
    p.arxivId && `arXiv:${p.arxivId}${p.arxivVersion ? 'v' + p.arxivVersion : ''}`,
    p.pages && `${p.pages} pages`,
    p.doi && `doi:${p.doi}`,
  ]
    .filter(Boolean)
    .join(' · ');
  const direction = p.direction
    ? h(
        'p',
        { class: 'direction-line' },
        h('span', { class: `chip dir-${p.direction}` }, DIRECTION_NAMES[p.direction]),
        typeof p.directionConfidence === 'number' ? ` ${Math.round(p.directionConfidence * 100)}% confident` : '',
        p.directionSource === 'user' ? ' · set by you' : p.directionSource === 'auto' ? ' · automatic' : '',
      )
    : h('p', { class: 'muted' }, 'No direction yet (build the library to classify it).');
  const inLib = p.references.filter((r) => r.paperId !== null).length;
  const cluster = p.cluster ?? null;
  const topicName = cluster === null ? null : actions.topicName(cluster);
  const topic =
    cluster !== null && topicName
      ? h(
          'p',
          { class: 'topic-line' },
          'Topic: ',
          h(
            'button',
            { class: 'link', title: 'Show only this topic', onclick: () => actions.showTopic(cluster) },
            topicName,
          ),
        )
      : null;

  append(root, [
    h(
      'header',
      { class: 'panel-head' },
      h('h2', { id: 'panel-title', tabindex: -1 }, p.title ?? 'Untitled'),
      h(
        'button',
        { class: 'icon', title: 'Close (Esc)', 'aria-label': 'Close details', onclick: () => actions.close() },
        '×',
      ),
    ),
    p.authors.length ? h('p', { class: 'authors' }, p.authors.join(', ')) : null,
    h('p', { class: 'meta' }, meta),
    direction,
    topic,
    p.directionEvidence.length
      ? h(
          'ul',
          { class: 'evidence', 'aria-label': 'Evidence' },
          p.directionEvidence.slice(0, 6).map((e) => h('li', {}, e)),
        )
      : null,
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        {
          onclick: () => actions.openPdf(p.id),
          disabled: !p.hasPdf,
          title: p.hasPdf ? 'Open the stored PDF' : 'No PDF stored',
        },
        'Open PDF',
      ),
    ),
    p.abstract ? h('section', {}, h('h3', {}, 'Abstract'), h('p', { class: 'abstract' }, p.abstract)) : null,
    p.citedBy.length
      ? h(
          'section',
          {},
          h('h3', {}, `Cited by ${p.citedBy.length} in the library`),
          h(
            'ul',
            { class: 'links' },
            p.citedBy.map((c) =>
              h('li', {}, h('button', { class: 'link', onclick: () => actions.select(c.id) }, c.title ?? `#${c.id}`)),
            ),
          ),
        )
      : null,
    h(
      'section',
      {},
      h('h3', {}, `References (${p.references.length}, ${inLib} in the library)`),
      h(
        'ol',
        { class: 'refs' },
        p.references.map((r) =>
          h(
            'li',
            { class: r.paperId !== null ? 'in-library' : 'not-in-library' },
            r.paperId !== null
              ? h(
                  'button',
                  { class: 'link', onclick: () => actions.select(r.paperId!), title: 'In the library: show it' },
                  r.title ?? r.raw,
                )
              : h(
                  'span',
                  {},
                  r.title ?? r.raw,
                  h('span', { class: 'badge missing', title: 'Not in the library' }, 'not in library'),
                ),
            r.title && r.year ? h('span', { class: 'muted' }, ` (${r.year})`) : null,
          ),
        ),
      ),
    ),
  ]);
}
