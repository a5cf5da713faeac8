/**
 * A stable id for a suggestion, so `label accept|reject ID` refers to the same proposal
 * on every run: FNV-1a (32 bits) over key, value and workload, as 8 hex digits.
 */
export function suggestionId(workload: string, key: string, value: string): string {
  let hash = 0x811c9dc5;
  for (const ch of `${key}=${value}@${workload}`) {
    hash ^= ch.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `sg-${hash.toString(16).padStart(8, '0')}`;
}
