/**
 * Deterministic pseudo-random numbers (mulberry32), so layouts, LSA and generated
 * benchmark libraries come out the same for the same seed. No Node imports: the page
 * bundles it too.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;

  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
