/**
 * The direction board: four columns in the outline's order. Dragging a card (or Alt+←/→ on a
 * focused card) corrects its direction; every move can be undone and redone.
 */
import { DIRECTIONS, DIRECTION_NAMES, type DirectionId, type PaperRow } from '../api/types.js';
import { clear, h, shortTitle } from './dom.js';

export interface Move {
  id: number;
  from: { direction: DirectionId | null; source: 'auto' | 'user' | null };
  to: DirectionId;
}

export interface BoardActions {
  move(id: number, to: DirectionId): void;
  select(id: number): void;
}

export function renderBoard(
  root: HTMLElement,
  papers: PaperRow[],
  visible: (p: PaperRow) => boolean,
  clusterLabel: (c: unknown) => string,
  actions: BoardActions,
  selected: number | null,
): void {
  clear(root);
  const byDir = new Map<DirectionId, PaperRow[]>(DIRECTIONS.map((d) => [d, []]));
  const unsorted: PaperRow[] = [];
  for (const p of papers) {
    if (!visible(p)) continue;
    if (p.direction && byDir.has(p.direction)) byDir.get(p.direction)!.push(p);
    else unsorted.push(p);
  }

  for (const d of DIRECTIONS) {
    const list = byDir
      .get(d)!
      .sort(
        (a, b) =>
          String(a.cluster ?? '').localeCompare(String(b.cluster ?? '')) ||
          (a.title ?? '').localeCompare(b.title ?? ''),
      );
    const column = h(
      'section',
      { class: `column dir-${d}`, 'data-direction': d, 'aria-label': DIRECTION_NAMES[d] },
      h(
        'h3',
        {},
        h('span', { class: `swatch dir-${d}` }),
        DIRECTION_NAMES[d],
        h('span', { class: 'count' }, String(list.length)),
      ),
      h(
        'div',
        { class: 'cards' },
        list.map((p) => card(p, d, clusterLabel, actions, selected)),
      ),
    );
    column.addEventListener('dragover', (e) => {
      if (!e.dataTransfer?.types.includes('application/x-surveyor-paper')) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'move';
      column.classList.add('over');
    });
    column.addEventListener('dragleave', () => column.classList.remove('over'));
    column.addEventListener('drop', (e) => {
      column.classList.remove('over');
      const id = Number(e.dataTransfer?.getData('application/x-surveyor-paper'));
      if (!id) return;
      e.preventDefault();
      e.stopPropagation();
      actions.move(id, d);
    });
    root.append(column);
  }
  if (unsorted.length) {
    root.append(
      h(
        'p',
        { class: 'muted board-note' },
        `${unsorted.length} papers have no direction yet: build the library to classify them.`,
      ),
    );
  }
}

function card(
  p: PaperRow,
  d: DirectionId,
  clusterLabel: (c: unknown) => string,
  actions: BoardActions,
  selected: number | null,
): HTMLElement {
  const conf = typeof p.directionConfidence === 'number' ? `${Math.round(p.directionConfidence * 100)}%` : '';
  const el = h(
    'article',
    {
      class: `card${p.id === selected ? ' selected' : ''}`,
      draggable: 'true',
      tabindex: 0,
      'data-id': p.id,
      title: `${p.title ?? 'Untitled'}\nAlt+← / Alt+→ moves it to another direction`,
    },
    h('div', { class: 'card-title' }, shortTitle(p.title, 90)),
    h(
      'div',
      { class: 'card-meta' },
      p.year ? String(p.year) : '',
      p.cluster !== undefined && p.cluster !== null
        ? h('span', { class: 'cluster-tag' }, clusterLabel(p.cluster))
        : null,
      p.directionSource === 'user'
        ? h('span', { class: 'badge user', title: 'Set by you' }, 'you')
        : conf
          ? h('span', { class: 'badge' }, conf)
          : null,
    ),
  );
  el.addEventListener('dragstart', (e) => {
    e.dataTransfer?.setData('application/x-surveyor-paper', String(p.id));
    if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
    el.classList.add('dragging');
  });
  el.addEventListener('dragend', () => el.classList.remove('dragging'));
  el.addEventListener('click', () => actions.select(p.id));
  el.addEventListener('keydown', (e) => {
    const i = DIRECTIONS.indexOf(d);
    if (e.altKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
      e.preventDefault();
      const j = i + (e.key === 'ArrowLeft' ? -1 : 1);
      if (j >= 0 && j < DIRECTIONS.length) actions.move(p.id, DIRECTIONS[j]);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      actions.select(p.id);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const sib = e.key === 'ArrowDown' ? el.nextElementSibling : el.previousElementSibling;
      (sib as HTMLElement | null)?.focus();
    }
  });

  return el;
}

/** Undo and redo of direction corrections. */
export class History {
  private done: Move[] = [];
  private undone: Move[] = [];

  push(m: Move): void {
    this.done.push(m);
    this.undone = [];
  }

  takeUndo(): Move | undefined {
    const m = this.done.pop();
    if (m) this.undone.push(m);

    return m;
  }

  takeRedo(): Move | undefined {
    const m = this.undone.pop();
    if (m) this.done.push(m);

    return m;
  }

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }
}
