import { headText, startsLikeJson } from '../json-records/index.js';

/**
 * Whether the start of a file looks like Hubble flows: JSON with a `verdict` and Hubble's
 * `IP` or `node_name` fields. A gzip head is decompressed as far as it goes.
 *
 * @param head The first bytes of the file (a few kilobytes are enough).
 */
export function isHubbleFlows(head: Buffer): boolean {
  const text = headText(head);
  if (text === undefined || !startsLikeJson(text)) return false;
  return text.includes('"verdict"') && (text.includes('"IP"') || text.includes('"node_name"'));
}
