import { InputError } from '../domain/index.js';
import { readHead } from './head.js';
import { isPcap, readPcap } from './pcap/index.js';
import { isNetflowPayloads, readNetflowPayloads } from './netflow/index.js';
import type { FlowSink, ReadReport, WorkloadSink } from './report.js';
import { isVpcFlowLog, readVpcFlowLog } from './vpc/index.js';
import { isZeekConnLog, readZeekConnLog } from './zeek/index.js';
import { isAzureFlowLog, readAzureFlowLog } from './azure/index.js';
import { isGcpFlowLog, readGcpFlowLog } from './gcp/index.js';
import { isHubbleFlows, readHubbleFlows } from './hubble/index.js';
import { isSuricataEve, readSuricataEve } from './suricata/index.js';
import { isConntrack, readConntrack } from './conntrack/index.js';
import { DEFAULT_CSV_FLOW_MAPPING, isCsvFlows, readCsvFlows } from './csv-flows/index.js';

/** A flow format Bulkhead reads: how to recognise it and how to read it. */
export interface FlowFormat {
  readonly name: string;
  readonly description: string;
  sniff(head: Buffer): boolean;
  read(file: string, sink: FlowSink, workloads?: WorkloadSink): Promise<ReadReport>;
}

/** Every flow format, in the order auto-detection tries them. */
export const FLOW_FORMATS: readonly FlowFormat[] = [
  // A raw export payload is recognised by its header; a capture of export packets is read
  // as packets unless --format netflow says otherwise, since a capture holding some export
  // traffic among other traffic is still a capture.
  {
    name: 'netflow',
    description:
      'NetFlow v5/v9 and IPFIX export payloads (--format netflow for a capture of export packets)',
    sniff: (head) => !isPcap(head) && isNetflowPayloads(head),
    read: (f, s) => readNetflowPayloads(f, s),
  },
  {
    name: 'pcap',
    description: 'pcap and pcapng packet captures',
    sniff: isPcap,
    read: (f, s) => readPcap(f, s),
  },
  { name: 'zeek', description: 'Zeek conn.log (TSV)', sniff: isZeekConnLog, read: readZeekConnLog },
  {
    name: 'vpc',
    description: 'AWS VPC flow logs (v2 default or header-defined layout)',
    sniff: isVpcFlowLog,
    read: readVpcFlowLog,
  },
  {
    name: 'azure',
    description: 'Azure NSG flow logs (v1, v2) and VNet flow logs (v4)',
    sniff: isAzureFlowLog,
    read: readAzureFlowLog,
  },
  {
    name: 'gcp',
    description: 'GCP VPC flow logs exported from Cloud Logging',
    sniff: isGcpFlowLog,
    read: readGcpFlowLog,
  },
  {
    name: 'hubble',
    description: 'Cilium Hubble flows (hubble observe -o json)',
    sniff: isHubbleFlows,
    read: readHubbleFlows,
  },
  {
    name: 'suricata',
    description: 'Suricata EVE flow and netflow events (AWS Network Firewall too)',
    sniff: isSuricataEve,
    read: readSuricataEve,
  },
  {
    name: 'conntrack',
    description: 'conntrack -L tables (-o extended or -o xml)',
    sniff: isConntrack,
    read: readConntrack,
  },
  // CSV goes last: its sniffer is the weakest.
  {
    name: 'csv-flows',
    description: 'CSV flows with src,dst,… columns (--map for other names)',
    sniff: isCsvFlows,
    read: (f, s) => readCsvFlows(f, s, DEFAULT_CSV_FLOW_MAPPING),
  },
];

/**
 * Picks the reader for a file: the one `--format` names, else the first whose sniffer
 * recognises the file's first bytes.
 *
 * @throws InputError naming the file and the known formats.
 */
export async function chooseFormat(file: string, name?: string): Promise<FlowFormat> {
  const names = FLOW_FORMATS.map((f) => f.name).join(', ');
  if (name !== undefined) {
    const format = FLOW_FORMATS.find(
      (f) => f.name === name || (name === 'pcapng' && f.name === 'pcap'),
    );
    if (!format) throw new InputError(`Cannot read format "${name}": known formats are ${names}`);
    return format;
  }

  const head = await readHead(file);
  const format = FLOW_FORMATS.find((f) => f.sniff(head));
  if (!format) {
    throw new InputError(
      `Cannot tell the format of the file: it is none of ${names}; pass --format to choose one`,
      { file },
    );
  }
  return format;
}
