import { InputError } from '../domain/index.js';
import { readHead } from './head.js';
import { isPcap, readPcap } from './pcap/index.js';
import type { FlowSink, ReadReport, WorkloadSink } from './report.js';
import { isVpcFlowLog, readVpcFlowLog } from './vpc/index.js';
import { isZeekConnLog, readZeekConnLog } from './zeek/index.js';

/** A flow format Bulkhead reads: how to recognise it and how to read it. */
export interface FlowFormat {
  readonly name: string;
  readonly description: string;
  sniff(head: Buffer): boolean;
  read(file: string, sink: FlowSink, workloads?: WorkloadSink): Promise<ReadReport>;
}

/** Every flow format, in the order auto-detection tries them. */
export const FLOW_FORMATS: readonly FlowFormat[] = [
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
