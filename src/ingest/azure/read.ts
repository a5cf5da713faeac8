import { isObject, lineOf, readJsonRecords, shown } from '../json-records/index.js';
import type { JsonObject } from '../json-records/index.js';
import { createReport, reject, KEPT_ISSUES } from '../report.js';
import type { FlowSink, ReadReport, WorkloadSink } from '../report.js';
import { AzureConversations } from './conversations.js';
import { parseAzureTuple } from './tuple.js';
import type { AzureTupleLayout } from './tuple.js';

/** The format name ReadReports of this reader carry. */
export const AZURE_FORMAT = 'azure';

/** A blob holds one JSON document; allow it to be this large before refusing it. */
const MAX_DOCUMENT = 512 * 1024 * 1024;

/** Where one JSON value sits, to name the line of a bad tuple in it. */
interface Source {
  readonly text: string;
  readonly line: number;
  readonly report: ReadReport;
  readonly conversations: AzureConversations;
}

/** A tuple group: the rule, who saw it, its tuples and the JSON path for messages. */
interface TupleGroup {
  readonly path: string;
  readonly rule: string | undefined;
  readonly observer: string | undefined;
  readonly tuples: unknown;
  readonly layout: AzureTupleLayout | undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function rejectAt(source: Source, needle: string, message: string): void {
  const { report } = source;
  const line =
    report.issues.length < KEPT_ISSUES ? lineOf(source.text, needle, source.line) : source.line;
  reject(report, line, message);
}

function readGroup(source: Source, group: TupleGroup): void {
  if (!Array.isArray(group.tuples)) {
    source.report.read += 1;
    rejectAt(
      source,
      '"flowTuples"',
      `${group.path}.flowTuples is ${shown(group.tuples)}: expected a list of tuple strings`,
    );
    return;
  }
  group.tuples.forEach((tuple: unknown, index) => {
    source.report.read += 1;
    const path = `${group.path}.flowTuples[${index}]`;
    if (typeof tuple !== 'string') {
      rejectAt(source, '"flowTuples"', `${path} is ${shown(tuple)}: expected a tuple string`);
      return;
    }
    const layout = group.layout ?? (tuple.split(',').length === 8 ? 'nsg-v1' : 'nsg-v2');
    try {
      source.conversations.add(parseAzureTuple(tuple, layout), group.observer, group.rule);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      rejectAt(source, JSON.stringify(tuple), `${path} "${tuple}": ${err.message}`);
    }
  });
}

function nsgGroups(record: JsonObject, path: string, properties: JsonObject): TupleGroup[] {
  const version = properties.Version ?? properties.version;
  const layout: AzureTupleLayout | undefined =
    version === 1 ? 'nsg-v1' : version === 2 ? 'nsg-v2' : undefined;
  const groups: TupleGroup[] = [];
  list(properties.flows).forEach((ruleFlow, i) => {
    const rule = isObject(ruleFlow) ? text(ruleFlow.rule) : undefined;
    const inner = isObject(ruleFlow) ? list(ruleFlow.flows) : [];
    inner.forEach((macFlow, j) => {
      const entry = isObject(macFlow) ? macFlow : {};
      groups.push({
        path: `${path}.properties.flows[${i}].flows[${j}]`,
        rule,
        observer: text(entry.mac) ?? text(record.resourceId),
        tuples: entry.flowTuples,
        layout,
      });
    });
  });
  return groups;
}

function vnetGroups(record: JsonObject, path: string, flowRecords: JsonObject): TupleGroup[] {
  const observer = text(record.macAddress) ?? text(record.targetResourceID);
  const groups: TupleGroup[] = [];
  list(flowRecords.flows).forEach((acl, i) => {
    const flowGroups = isObject(acl) ? list(acl.flowGroups) : [];
    flowGroups.forEach((group, j) => {
      const entry = isObject(group) ? group : {};
      groups.push({
        path: `${path}.flowRecords.flows[${i}].flowGroups[${j}]`,
        rule: text(entry.rule),
        observer,
        tuples: entry.flowTuples,
        layout: 'vnet-v4',
      });
    });
  });
  return groups;
}

function readRecord(source: Source, record: unknown, path: string): void {
  const properties =
    isObject(record) && isObject(record.properties) ? record.properties : undefined;
  const flowRecords =
    isObject(record) && isObject(record.flowRecords) ? record.flowRecords : undefined;
  if (!isObject(record) || (properties?.flows === undefined && flowRecords === undefined)) {
    source.report.read += 1;
    const message = `${path} is ${shown(record)}: expected an NSG flow log record (properties.flows) or a VNet flow log record (flowRecords)`;
    reject(source.report, source.line, message);
    return;
  }
  const groups = flowRecords
    ? vnetGroups(record, path, flowRecords)
    : nsgGroups(record, path, properties ?? {});
  for (const group of groups) readGroup(source, group);
}

/**
 * Reads an Azure NSG flow log (versions 1 and 2) or VNet flow log (version 4) blob, plain
 * or gzip, and hands each conversation to the sink as a flow.
 *
 * The blob's JSON document (`{"records": [...]}`) is parsed whole, as Azure writes one
 * document per hour and resource; JSON lines of records and arrays of records are read
 * one record at a time. The B, C and E tuples of one conversation become one flow (see
 * {@link AzureConversations}); denied tuples are flows with action `reject`. The rule name
 * is the flow's `actionReason`, the MAC address (or resource id) its `observer`. Each
 * tuple counts as one record read.
 *
 * @param file Path of the blob; gzip is detected by content.
 * @param sink Receives each flow, in the order conversations end.
 * @param _workloads Unused: Azure flow logs name no workloads.
 * @returns What was read and rejected.
 * @throws InputError when the file cannot be opened or decompressed.
 * @example
 * const report = await readAzureFlowLog('PT1H.json', (flow) => flows.push(flow));
 */
export async function readAzureFlowLog(
  file: string,
  sink: FlowSink,
  // Kept so every reader has one signature; Azure flow logs name no workloads to report.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  _workloads?: WorkloadSink,
): Promise<ReadReport> {
  const report = createReport(file, AZURE_FORMAT);
  const conversations = new AzureConversations((flow) => {
    report.flows += 1;
    sink(flow);
  });

  for await (const entry of readJsonRecords(file, {
    what: 'Azure flow log',
    maxBytes: MAX_DOCUMENT,
  })) {
    if ('problem' in entry) {
      report.read += 1;
      reject(report, entry.line, entry.problem);
      continue;
    }
    const source: Source = { text: entry.text, line: entry.line, report, conversations };
    const value = entry.value;
    if (isObject(value) && Array.isArray(value.records)) {
      value.records.forEach((record: unknown, i) => {
        readRecord(source, record, `records[${i}]`);
      });
    } else if (Array.isArray(value)) {
      value.forEach((record: unknown, i) => {
        readRecord(source, record, `[${i}]`);
      });
    } else {
      readRecord(source, value, 'record');
    }
  }
  conversations.flush();
  return report;
}
