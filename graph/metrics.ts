/** Agreement between a clustering and reference labels: NMI and the adjusted Rand index. */

function contingency(
  a: (string | number)[],
  b: (string | number)[],
): { table: Map<string, number>; rows: Map<string, number>; cols: Map<string, number> } {
  const table = new Map<string, number>();
  const rows = new Map<string, number>();
  const cols = new Map<string, number>();
  a.forEach((x, i) => {
    const y = b[i];
    const key = `${x}\u0000${y}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(String(x), (rows.get(String(x)) ?? 0) + 1);
    cols.set(String(y), (cols.get(String(y)) ?? 0) + 1);
  });

  return { table, rows, cols };
}

function entropy(counts: Iterable<number>, n: number): number {
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / n) * Math.log(c / n);

  return h;
}

/** Normalized mutual information with the arithmetic mean of the entropies (scikit-learn's default). */
export function nmi(a: (string | number)[], b: (string | number)[]): number {
  const n = a.length;
  if (n === 0) return 0;
  const { table, rows, cols } = contingency(a, b);
  let mi = 0;
  for (const [key, c] of table) {
    const [x, y] = key.split('\u0000');
    mi += (c / n) * Math.log((c * n) / (rows.get(x)! * cols.get(y)!));
  }
  const ha = entropy(rows.values(), n);
  const hb = entropy(cols.values(), n);
  if (ha === 0 && hb === 0) return 1;

  return ha + hb === 0 ? 0 : mi / ((ha + hb) / 2);
}

const pairs = (x: number) => (x * (x - 1)) / 2;

/** Adjusted Rand index: 1 for identical partitions, about 0 for chance agreement. */
export function ari(a: (string | number)[], b: (string | number)[]): number {
  const n = a.length;
  const { table, rows, cols } = contingency(a, b);
  let index = 0;
  for (const c of table.values()) index += pairs(c);
  let sumA = 0;
  for (const c of rows.values()) sumA += pairs(c);
  let sumB = 0;
  for (const c of cols.values()) sumB += pairs(c);
  const expected = (sumA * sumB) / pairs(n);
  const max = (sumA + sumB) / 2;

  return max === expected ? 1 : (index - expected) / (max - expected);
}
