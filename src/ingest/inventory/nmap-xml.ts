import { readFile } from 'node:fs/promises';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InputError } from '../../domain/index.js';
import { asNode, asNodes, isHostUp, parseNmapHost } from './nmap-host.js';
import { createInventoryReport, rejectRecord } from './report.js';
import type { InventoryReport } from './report.js';
import { declaresEntities, findDoctype } from './xml-prolog.js';

/** The format name InventoryReports of this importer carry. */
export const NMAP_XML_FORMAT = 'nmap-xml';

/** Elements that may repeat; the parser makes them arrays even when they occur once. */
const REPEATED = new Set(['host', 'address', 'hostname', 'port', 'osmatch']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // Entities stay as written; decodeXmlText() handles the five predefined ones only.
  processEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => REPEATED.has(name),
});

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new InputError(`Cannot read nmap XML "${file}": ${reason}`, { file }, { cause: err });
  }
}

/** Refuses a document type that declares entities, before any parser sees the text. */
function refuseEntities(text: string, file: string): void {
  const doctype = findDoctype(text);
  if (doctype === undefined || !declaresEntities(doctype)) return;

  const message = `Cannot read nmap XML "${file}": its DOCTYPE declares entities, which Bulkhead never resolves (XML external entity risk); nmap does not write them, so import the scan as nmap wrote it`;
  throw new InputError(message, { file, line: doctype.line });
}

function parseDocument(text: string, file: string): unknown {
  // The parser alone accepts mismatched tags; the validator finds them with a line. It is
  // deprecated in favour of fast-xml-validator, which is not a dependency of Bulkhead yet.
  // TODO(#3): move to fast-xml-validator when the nmap importer is completed — the
  // deprecated validator still works on fast-xml-parser 5.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    const message = `Cannot read nmap XML "${file}": ${msg}; the file is not well-formed XML, rerun nmap with -oX`;
    throw new InputError(message, { file, line, column: col });
  }
  try {
    return parser.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new InputError(`Cannot read nmap XML "${file}": ${reason}`, { file }, { cause: err });
  }
}

/** Line of each `<host` start tag in document order, to give hosts a place in messages. */
function hostLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let last = 0;
  for (const match of text.matchAll(/<host[\s>/]/g)) {
    for (let i = text.indexOf('\n', last); i >= 0 && i < match.index; i = text.indexOf('\n', i + 1))
      line++;
    last = match.index;
    lines.push(line);
  }
  return lines;
}

/**
 * Imports the hosts of an nmap XML scan (`nmap -oX`) as workloads.
 *
 * Only hosts whose status is up are imported. A workload gets the host's IPv4 and IPv6
 * addresses (MAC addresses are left out), its host names, its open ports (state `open`
 * only) with the service nmap named, and the OS match with the highest accuracy. It is
 * named after its first host name, or its first address; a name already taken in the scan
 * falls back to the address. A host with a bad address or port is rejected with its line.
 *
 * The document is parsed with entity processing off. A DOCTYPE that declares entities is
 * refused before parsing, so nothing (external files included) is ever resolved.
 *
 * @param file Path of the XML file.
 * @returns The workloads imported and the hosts rejected; `read` counts every host.
 * @throws InputError when the file cannot be read, is not well-formed XML (with its line),
 *   declares entities, or is not an nmap scan.
 * @example
 * const { workloads } = await readNmapXml('scan.xml');
 */
export async function readNmapXml(file: string): Promise<InventoryReport> {
  const text = await readText(file);
  refuseEntities(text, file);
  const run = asNode(asNode(parseDocument(text, file))?.nmaprun);
  if (run === undefined) {
    const message = `Cannot read nmap XML "${file}": the root element is not <nmaprun>; give the output of nmap -oX`;
    throw new InputError(message, { file });
  }

  const report = createInventoryReport(file, NMAP_XML_FORMAT);
  const hosts = asNodes(run.host);
  const lines = hostLines(text);
  const names = new Set<string>();
  hosts.forEach((host, index) => {
    report.read += 1;
    if (!isHostUp(host)) return;

    const line = lines.length === hosts.length ? lines[index] : undefined;
    try {
      const workload = parseNmapHost(host);
      const name = names.has(workload.name) ? workload.addresses[0]! : workload.name;
      names.add(name);
      report.workloads.push(name === workload.name ? workload : { ...workload, name });
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      rejectRecord(report, line, err.message);
    }
  });
  return report;
}

/**
 * Whether the start of a file looks like nmap XML output: XML whose root is `<nmaprun>`.
 *
 * @param head The first bytes of the file (a kilobyte is enough).
 */
export function isNmapXml(head: Buffer): boolean {
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  return text.trimStart().startsWith('<') && /<nmaprun[\s>]/.test(text);
}
