/**
 * Reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009): each item scores Σ 1 / (k + rank)
 * over the ranked lists it appears in (rank 1-based); k = 60 as in the paper. Returns the items best
 * first with their fused values; ties keep the order of first appearance.
 */
export function reciprocalRankFusion<T>(lists: ReadonlyArray<readonly T[]>, k = 60): Array<{ item: T; value: number }> {
  const values = new Map<T, number>();
  for (const list of lists) list.forEach((item, i) => values.set(item, (values.get(item) ?? 0) + 1 / (k + i + 1)));
  return [...values.entries()].map(([item, value]) => ({ item, value })).sort((a, b) => b.value - a.value);
}
