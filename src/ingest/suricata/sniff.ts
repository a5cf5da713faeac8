import { headText, startsLikeJson } from '../json-records/index.js';

/**
 * Whether the start of a file looks like Suricata EVE JSON: JSON with `event_type`,
 * `src_ip` and `dest_ip` fields (AWS Network Firewall logs included). A gzip head is
 * decompressed as far as it goes.
 *
 * @param head The first bytes of the file (a few kilobytes are enough).
 */
export function isSuricataEve(head: Buffer): boolean {
  const text = headText(head);
  if (text === undefined || !startsLikeJson(text)) return false;
  return text.includes('"event_type"') && text.includes('"src_ip"') && text.includes('"dest_ip"');
}
