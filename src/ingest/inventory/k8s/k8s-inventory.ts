import type { Workload } from '../../../domain/index.js';
import { KEPT_ISSUES } from '../../report.js';
import type { RejectedRecord } from '../../report.js';
import { createInventoryReport, rejectRecord } from '../report.js';
import type { InventoryReport } from '../report.js';
import { markServicePorts, openPortsOf, parseService, selects } from './k8s-service.js';
import type { K8sService } from './k8s-service.js';
import { podLabel } from './label-key.js';
import { asK8sObject, findManifestFiles, readManifestFile } from './manifest-documents.js';
import type { ManifestObject } from './manifest-documents.js';
import { WORKLOAD_KINDS, nameOf, parsePodWorkload } from './pod-workload.js';
import type { PodWorkload } from './pod-workload.js';

/** The format name InventoryReports of this importer carry. */
export const K8S_MANIFEST_FORMAT = 'k8s';

/** A Namespace object and its labels, noted for namespace selectors. */
export interface K8sNamespace {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** What the Kubernetes importer did: an InventoryReport plus Services and Namespaces. */
export interface K8sInventoryReport extends InventoryReport {
  /** The files read, in path order. */
  readonly files: string[];
  readonly services: K8sService[];
  readonly namespaces: K8sNamespace[];
  /** Objects of other kinds (NetworkPolicy, ServiceAccount, …), counted by kind. */
  readonly skipped: Record<string, number>;
  /** Pod labels that could not become labels; the workload was still imported. */
  labelsDropped: number;
  /** The first KEPT_ISSUES dropped labels, each naming its workload and the reason. */
  readonly labelIssues: RejectedRecord[];
}

interface Pending {
  readonly workload: PodWorkload;
  readonly at: ManifestObject;
}

class K8sImport {
  readonly report: K8sInventoryReport;
  readonly pending: Pending[] = [];
  readonly lineOf = new Map<string, ManifestObject>();
  readonly services: Omit<K8sService, 'workloads'>[] = [];

  constructor(path: string) {
    this.report = {
      ...createInventoryReport(path, K8S_MANIFEST_FORMAT),
      files: [],
      services: [],
      namespaces: [],
      skipped: {},
      labelsDropped: 0,
      labelIssues: [],
    };
  }

  reject(at: ManifestObject, message: string): void {
    const before = this.report.issues.length;
    rejectRecord(this.report, at.line, message);
    // rejectRecord names the import's path; the issue belongs to the manifest file.
    const issue = this.report.issues[before];
    if (issue !== undefined) this.report.issues[before] = { ...issue, file: at.file };
  }

  take(at: ManifestObject): void {
    this.report.read += 1;
    const kind = typeof at.object.kind === 'string' ? at.object.kind : '(no kind)';
    try {
      if (WORKLOAD_KINDS.has(kind)) this.takeWorkload(at, kind);
      else if (kind === 'Service') this.services.push(parseService(at.object));
      else if (kind === 'Namespace') this.takeNamespace(at);
      else this.report.skipped[kind] = (this.report.skipped[kind] ?? 0) + 1;
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      this.reject(at, err.message);
    }
  }

  takeWorkload(at: ManifestObject, kind: string): void {
    const workload = parsePodWorkload(at.object, kind);
    const first = this.lineOf.get(workload.name);
    if (first !== undefined) {
      const message = `${kind} ${workload.name} has the name of the ${String(first.object.kind)} at ${first.file}:${first.line}; workloads are named namespace/name and must be unique`;
      throw new RangeError(message);
    }

    this.lineOf.set(workload.name, at);
    this.pending.push({ workload, at });
    for (const reason of workload.dropped) {
      this.report.labelsDropped += 1;
      const issue = { file: at.file, line: at.line, message: `${workload.name}: ${reason}` };
      if (this.report.labelIssues.length < KEPT_ISSUES) this.report.labelIssues.push(issue);
    }
  }

  takeNamespace(at: ManifestObject): void {
    const name = nameOf(at.object, 'Namespace');
    if (this.report.namespaces.some((namespace) => namespace.name === name)) return;

    const labels: Record<string, string> = {};
    for (const [key, value] of Object.entries(
      asK8sObject(asK8sObject(at.object.metadata)?.labels) ?? {},
    )) {
      const label = podLabel(key, value);
      if (label.ok) labels[label.key] = label.value;
    }
    this.report.namespaces.push({ name, labels });
  }

  /** Applies Services to the workloads they select and hands both to the report. */
  finish(): K8sInventoryReport {
    for (const service of this.services) {
      const selected = this.pending.filter(({ workload }) => selects(service, workload));
      for (const { workload } of selected) markServicePorts(service, workload);
      this.report.services.push({
        ...service,
        workloads: selected.map(({ workload }) => workload.name),
      });
    }

    for (const { workload } of this.pending) {
      const imported: Workload = {
        name: workload.name,
        addresses: [],
        labels: workload.labels,
        discovered: false,
        openPorts: openPortsOf(workload),
      };
      this.report.workloads.push(imported);
    }
    return this.report;
  }
}

/**
 * Imports the workloads, Services and Namespaces of Kubernetes manifests.
 *
 * `path` is a manifest file or a folder whose `.yaml`, `.yml` and `.json` files are all
 * read (multi-document YAML, JSON, and `kind: List` documents). Deployments, StatefulSets,
 * DaemonSets, ReplicaSets, Pods, Jobs and CronJobs become workloads named
 * `namespace/name` (namespace `default` when the object names none), labelled with
 * their pod template labels (keys lower-cased), `namespace`, and `app` from
 * `app.kubernetes.io/name` when `app` is absent; container ports become open ports.
 * Manifests hold no addresses, so the workloads have none: flows and agents supply them.
 *
 * Each Service is kept on the report with its selector and ports and the workloads it
 * selects (same namespace, all selector labels equal); the open ports its target ports
 * reach are marked with its name. Namespaces are kept with their labels. Other kinds are
 * counted in `skipped`. An object that cannot be imported is rejected with its file and
 * line; the others are kept.
 *
 * @param path A manifest file, or a folder to search.
 * @returns The workloads, Services, Namespaces and rejects; `read` counts every object.
 * @throws InputError when a file cannot be read or is not valid YAML (with its line).
 * @example
 * const { workloads, services } = await readK8sInventory('deploy/kubernetes');
 */
export async function readK8sInventory(path: string): Promise<K8sInventoryReport> {
  const files = await findManifestFiles(path);
  const run = new K8sImport(path);
  for (const file of files) {
    run.report.files.push(file);
    for (const at of await readManifestFile(file)) run.take(at);
  }
  return run.finish();
}

/**
 * Whether the start of a file looks like a Kubernetes manifest: YAML or JSON with an
 * `apiVersion` and a `kind`.
 *
 * @param head The first bytes of the file (a kilobyte is enough).
 */
export function isK8sManifest(head: Buffer): boolean {
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trimStart().startsWith('{'))
    return /"apiVersion"\s*:/.test(text) && /"kind"\s*:/.test(text);
  return /^\s*apiVersion:\s*\S/m.test(text) && /^\s*kind:\s*[A-Z]/m.test(text);
}
