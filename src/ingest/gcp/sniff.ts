import { headText, startsLikeJson } from '../json-records/index.js';

/**
 * Whether the start of a file looks like exported GCP VPC flow logs: JSON LogEntries with
 * a `jsonPayload` holding a `connection`, or the `vpc_flows` log name. A gzip head is
 * decompressed as far as it goes.
 *
 * @param head The first bytes of the file (a few kilobytes are enough).
 */
export function isGcpFlowLog(head: Buffer): boolean {
  const text = headText(head);
  if (text === undefined || !startsLikeJson(text)) return false;
  const payload = text.includes('"jsonPayload"') && text.includes('"connection"');
  return payload || text.includes('vpc_flows"');
}
