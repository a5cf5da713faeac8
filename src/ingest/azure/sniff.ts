import { headText, startsLikeJson } from '../json-records/index.js';

/**
 * Whether the start of a file looks like an Azure NSG or VNet flow log: JSON that names
 * `flowTuples` and either the NSG category or `flowRecords`. A gzip head is decompressed
 * as far as it goes.
 *
 * @param head The first bytes of the file (a few kilobytes are enough).
 */
export function isAzureFlowLog(head: Buffer): boolean {
  const text = headText(head);
  if (text === undefined || !startsLikeJson(text)) return false;
  const nsg = text.includes('NetworkSecurityGroupFlowEvent') || text.includes('"properties"');
  const vnet = text.includes('"flowRecords"') || text.includes('FlowLogFlowEvent');
  return (nsg || vnet) && text.includes('"flowTuples"');
}
