/**
 * The adjusted Rand index of two partitions of the same items (Hubert and Arabie, 1985):
 * 1 for identical partitions, about 0 for a random one. Items are matched by position.
 *
 * @param truth The reference cluster of each item.
 * @param found The cluster found for each item.
 */
export function adjustedRandIndex(truth: readonly string[], found: readonly string[]): number {
  if (truth.length !== found.length) {
    throw new RangeError(
      `Cannot compare partitions of ${truth.length} and ${found.length} items: give one cluster per item in both`,
    );
  }
  const pairs = (n: number): number => (n * (n - 1)) / 2;
  const cells = new Map<string, number>();
  const rows = new Map<string, number>();
  const cols = new Map<string, number>();
  truth.forEach((t, i) => {
    const f = found[i]!;
    cells.set(`${t}\u0000${f}`, (cells.get(`${t}\u0000${f}`) ?? 0) + 1);
    rows.set(t, (rows.get(t) ?? 0) + 1);
    cols.set(f, (cols.get(f) ?? 0) + 1);
  });

  const index = [...cells.values()].reduce((s, n) => s + pairs(n), 0);
  const rowSum = [...rows.values()].reduce((s, n) => s + pairs(n), 0);
  const colSum = [...cols.values()].reduce((s, n) => s + pairs(n), 0);
  const expected = (rowSum * colSum) / pairs(truth.length);
  const max = (rowSum + colSum) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}
