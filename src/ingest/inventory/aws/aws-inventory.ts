import type { Workload } from '../../../domain/index.js';
import { KEPT_ISSUES } from '../../report.js';
import type { RejectedRecord } from '../../report.js';
import { createInventoryReport } from '../report.js';
import type { InventoryReport } from '../report.js';
import { LIST_OF, findAwsFiles, readAwsDocument } from './aws-files.js';
import type { AwsDocument } from './aws-files.js';
import type { AwsRecord } from './aws-record.js';
import { instanceIdOf, parseAwsInstance } from './instance.js';
import { asObjects, lineAt } from './json-value.js';
import type { JsonObject } from './json-value.js';
import { attachedInstanceOf, parseNetworkInterface } from './network-interface.js';
import { parseSecurityGroup } from './security-group.js';
import type { AwsSecurityGroup } from './security-group.js';

/** The format name InventoryReports of this importer carry. */
export const AWS_INVENTORY_FORMAT = 'aws';

/** What the AWS importer did: an InventoryReport plus what only AWS has. */
export interface AwsInventoryReport extends InventoryReport {
  /** The files read, in the order read. */
  readonly files: string[];
  /** Instances read from describe-instances, rejected ones included. */
  instances: number;
  /** Network interfaces read, those folded into their instance included. */
  interfaces: number;
  /** Security groups from describe-security-groups, kept for reachability analysis. */
  readonly securityGroups: AwsSecurityGroup[];
  /** Tags and fields that could not become labels; the record was still imported. */
  labelsDropped: number;
  /** The first KEPT_ISSUES dropped labels, each naming its record and the reason. */
  readonly labelIssues: RejectedRecord[];
}

interface Place {
  readonly file: string;
  readonly line?: number;
}

/** Where a record sits: the line of the first mention of its id, when there is one. */
function placeOf(doc: AwsDocument, id: string | undefined): Place {
  const at = id === undefined ? -1 : doc.text.indexOf(`"${id}"`);
  return at < 0 ? { file: doc.file } : { file: doc.file, line: lineAt(doc.text, at) };
}

function keep(issues: RejectedRecord[], place: Place, message: string): void {
  if (issues.length < KEPT_ISSUES) issues.push({ ...place, message });
}

/** An imported record waiting for its name; interfaces may still add addresses. */
interface Draft {
  readonly record: AwsRecord;
  readonly place: Place;
}

class AwsImport {
  readonly report: AwsInventoryReport;
  readonly drafts: Draft[] = [];
  readonly byInstance = new Map<string, Draft>();

  constructor(path: string) {
    this.report = {
      ...createInventoryReport(path, AWS_INVENTORY_FORMAT),
      files: [],
      instances: 0,
      interfaces: 0,
      securityGroups: [],
      labelsDropped: 0,
      labelIssues: [],
    };
  }

  /** Parses one record; a RangeError rejects it with its place. */
  take(doc: AwsDocument, node: JsonObject, id: string | undefined, parse: typeof parseAwsInstance) {
    this.report.read += 1;
    const place = placeOf(doc, id);
    try {
      const draft = { record: parse(node), place };
      this.drafts.push(draft);
      for (const reason of draft.record.dropped) {
        this.report.labelsDropped += 1;
        keep(this.report.labelIssues, place, `${draft.record.id}: ${reason}`);
      }
      return draft;
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      this.report.rejected += 1;
      keep(this.report.issues, place, err.message);
      return undefined;
    }
  }

  readGroups(doc: AwsDocument): void {
    for (const node of asObjects(doc.root[LIST_OF.groups])) {
      try {
        this.report.securityGroups.push(parseSecurityGroup(node));
      } catch (err) {
        if (!(err instanceof RangeError)) throw err;
        keep(this.report.issues, placeOf(doc, undefined), err.message);
      }
    }
  }

  readInstances(doc: AwsDocument): void {
    const reservations = asObjects(doc.root[LIST_OF.instances]);
    for (const node of reservations.flatMap((reservation) => asObjects(reservation.Instances))) {
      this.report.instances += 1;
      const id = instanceIdOf(node);
      const draft = this.take(doc, node, id, parseAwsInstance);
      if (draft !== undefined) this.byInstance.set(draft.record.id, draft);
    }
  }

  /** Interfaces of an instance read here add their addresses to it; others are workloads. */
  readInterfaces(doc: AwsDocument): void {
    for (const node of asObjects(doc.root[LIST_OF.interfaces])) {
      this.report.interfaces += 1;
      const owner = this.byInstance.get(attachedInstanceOf(node) ?? '');
      if (owner === undefined) {
        this.take(
          doc,
          node,
          typeof node.NetworkInterfaceId === 'string' ? node.NetworkInterfaceId : undefined,
          parseNetworkInterface,
        );
        continue;
      }

      this.report.read += 1;
      try {
        const { addresses } = parseNetworkInterface(node);
        for (const address of addresses)
          if (!owner.record.addresses.includes(address)) owner.record.addresses.push(address);
      } catch (err) {
        if (!(err instanceof RangeError)) throw err;
        this.report.rejected += 1;
        keep(this.report.issues, owner.place, err.message);
      }
    }
  }

  /**
   * Names each workload after its `name` label (the Name tag) when no other record has
   * the same one, else after its id, and hands the workloads to the report.
   */
  finish(): AwsInventoryReport {
    const uses = new Map<string, number>();
    for (const { record } of this.drafts) {
      const name = record.labels.name;
      if (name !== undefined) uses.set(name, (uses.get(name) ?? 0) + 1);
    }

    for (const { record } of this.drafts) {
      const name = record.labels.name;
      const workload: Workload = {
        name: name !== undefined && uses.get(name) === 1 ? name : record.id,
        addresses: record.addresses,
        labels: record.labels,
        discovered: false,
      };
      this.report.workloads.push(workload);
    }
    return this.report;
  }
}

const ORDER = { groups: 0, instances: 1, interfaces: 2 } as const;

/**
 * Imports EC2 instances and network interfaces from AWS CLI JSON output as workloads.
 *
 * `path` is one file (`aws ec2 describe-instances`, `describe-network-interfaces` or
 * `describe-security-groups` output) or an account folder as CloudMapper collects it, in
 * which every file named after one of these commands is read (`us-east-1/ec2-describe-
 * instances.json`, …). Security groups are read first, then instances, then interfaces.
 *
 * An instance becomes a workload with every private, public and IPv6 address it lists;
 * its tags become labels (see `labelKeyOfTag`), plus `state`, `vpc`, `subnet` and one
 * `sg/<group-id>` label per security group, valued with the group's name. A network
 * interface attached to an instance read in the same import adds its addresses to that
 * instance; any other interface (load balancer, NAT gateway, Lambda, ECS task, VPC
 * endpoint) becomes a workload with labels `interface-type` and `description` too. A
 * workload is named after its Name tag when no other record shares it, else its id.
 * Security groups are kept on the report, rules and all.
 *
 * @param path A JSON file, or a folder to search.
 * @returns The workloads, the records rejected (an instance without addresses, say) and
 *   the tags that could not become labels; `read` counts instances and interfaces.
 * @throws InputError when a file cannot be read, is not JSON (with its line), or is not
 *   one of the three responses, or a folder holds none of them.
 * @example
 * const { workloads, securityGroups } = await readAwsInventory('account-data/demo');
 */
export async function readAwsInventory(path: string): Promise<AwsInventoryReport> {
  const files = await findAwsFiles(path);
  const docs: AwsDocument[] = [];
  for (const file of files) docs.push(await readAwsDocument(file));
  docs.sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);

  const run = new AwsImport(path);
  for (const doc of docs) {
    run.report.files.push(doc.file);
    if (doc.kind === 'groups') run.readGroups(doc);
    else if (doc.kind === 'instances') run.readInstances(doc);
    else run.readInterfaces(doc);
  }
  return run.finish();
}

/**
 * Whether the start of a file looks like AWS CLI JSON this importer reads: an object whose
 * first key is `Reservations`, `NetworkInterfaces` or `SecurityGroups`.
 *
 * @param head The first bytes of the file (a kilobyte is enough).
 */
export function isAwsInventory(head: Buffer): boolean {
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  return /^\s*\{\s*"(Reservations|NetworkInterfaces|SecurityGroups)"\s*:\s*\[/.test(text);
}
