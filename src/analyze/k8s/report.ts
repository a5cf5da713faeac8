/**
 * The connlist report. A cluster on the default pod network alone gets one sorted list
 * of connections. When it has user-defined networks or secondary networks, each network
 * gets its own section (connections do not cross networks), followed by the networks of
 * each workload; a cluster with virtual machines also gets that mapping.
 */
import type { Connection, NetworkView } from './connlist.js';
import { computeConnections, formatConnections } from './connlist.js';
import { selectorMatches } from './label-selector.js';
import type { Cluster, PodNetwork, Workload } from './model.js';
import { attachmentsOf } from './read-networks.js';

/** The report lines and every connection in it. */
export interface Report {
  readonly lines: string[];
  readonly connections: Connection[];
}

interface Placement {
  readonly primary: string;
  readonly primaryNetwork?: PodNetwork;
  readonly secondary: readonly PodNetwork[];
}

const VM_KINDS = new Set(['VirtualMachine', 'VirtualMachineInstance']);

function workloadName(w: Workload): string {
  return `${w.namespace}/${w.name}[${w.kind}]`;
}

function placementOf(cluster: Cluster, workload: Workload): Placement {
  const labels = cluster.namespaces.get(workload.namespace)?.labels ?? {};
  const primaryNetwork = cluster.networks.find(
    (n) =>
      n.primary &&
      (n.kind === 'UDN'
        ? n.namespace === workload.namespace
        : n.kind === 'CUDN' &&
          n.namespaceSelector !== undefined &&
          selectorMatches(n.namespaceSelector, labels)),
  );
  const nads = cluster.networks.filter((n) => n.kind === 'NAD');
  const secondary = [
    ...new Set(
      attachmentsOf(workload).flatMap((a) => {
        const nad =
          nads.find((n) => n.name === a.name && n.namespace === a.namespace) ??
          nads.find((n) => n.name === a.name);
        return nad ? [nad] : [];
      }),
    ),
  ];
  secondary.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (!primaryNetwork) return { primary: 'pod-network', secondary };
  const primary =
    primaryNetwork.kind === 'UDN'
      ? `${primaryNetwork.namespace}[UDN]`
      : `${primaryNetwork.name}[CUDN]`;
  return { primary, primaryNetwork, secondary };
}

function mappingLines(placements: ReadonlyMap<Workload, Placement>): string[] {
  const rows = [...placements].sort(([a], [b]) => (workloadName(a) < workloadName(b) ? -1 : 1));
  const out = ['Workload-to-Networks Mapping:'];
  for (const [w, p] of rows) {
    out.push(`${workloadName(w)}: `, `\tPrimary Network: ${p.primary}`);
    if (p.secondary.length > 0) {
      out.push(`\tSecondary Networks: ${p.secondary.map((n) => `${n.name}[NAD]`).join(',')}`);
    }
  }
  return out;
}

function nadPolicies(cluster: Cluster, nad: PodNetwork): NetworkView['policies'] {
  const key = `${nad.namespace}/${nad.name}`;
  const networkPolicies = cluster.multiNetworkPolicies
    .filter((m) => m.policyFor.includes(key) || m.policyFor.some((f) => f.endsWith(`/${nad.name}`)))
    .map((m) => m.policy);
  return { networkPolicies, adminPolicies: [] };
}

interface Section {
  readonly title: string;
  readonly view: NetworkView;
}

function sectionsOf(cluster: Cluster, placements: ReadonlyMap<Workload, Placement>): Section[] {
  const all = [...placements];
  const onPrimary = (n: PodNetwork | undefined): Workload[] =>
    all.filter(([, p]) => p.primaryNetwork === n).map(([w]) => w);

  const primaries = cluster.networks.filter((n) => n.primary && onPrimary(n).length > 0);
  const udns = primaries
    .filter((n) => n.kind === 'UDN')
    .sort((a, b) => ((a.namespace ?? '') < (b.namespace ?? '') ? -1 : 1));
  const cudns = primaries
    .filter((n) => n.kind === 'CUDN')
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const nadNames = [...new Set(all.flatMap(([, p]) => p.secondary.map((n) => n.name)))].sort();

  const sections: Section[] = [
    { title: 'Pod network', view: { workloads: onPrimary(undefined), external: true } },
    ...udns.map((n) => ({
      title: `primary UDN ${n.namespace ?? n.name}`,
      view: { workloads: onPrimary(n), external: true, udnNames: true },
    })),
    ...cudns.map((n) => ({
      title: `primary CUDN ${n.name}`,
      view: { workloads: onPrimary(n), external: true },
    })),
  ];
  for (const name of nadNames) {
    const workloads = all
      .filter(([, p]) => p.secondary.some((n) => n.name === name))
      .map(([w]) => w);
    const nad = cluster.networks.find((n) => n.kind === 'NAD' && n.name === name)!;
    const policies = nadPolicies(cluster, nad);
    sections.push({
      title: `secondary NAD ${name}`,
      view: { workloads, external: false, ...(policies ? { policies } : {}) },
    });
  }
  return sections;
}

/** The connlist report of a cluster. */
export function buildReport(cluster: Cluster): Report {
  const placements = new Map(cluster.workloads.map((w) => [w, placementOf(cluster, w)]));
  const hasVms = cluster.workloads.some((w) => VM_KINDS.has(w.kind));

  if (cluster.networks.length === 0) {
    const connections = computeConnections(cluster);
    const lines = formatConnections(connections);
    return {
      lines: hasVms ? [...lines, '', ...mappingLines(placements)] : lines,
      connections,
    };
  }

  const lines: string[] = [];
  const connections: Connection[] = [];
  for (const section of sectionsOf(cluster, placements)) {
    const found = computeConnections(cluster, section.view);
    connections.push(...found);
    lines.push(`Permitted connectivity analyzed in ${section.title}:`);
    if (found.length > 0) lines.push(...formatConnections(found));
    else if (section.view.workloads.length === 0) {
      lines.push(
        'all input workloads are configured with (C)UDN as their primary network interface',
      );
    } else {
      lines.push(
        `All connections are not allowed for the workloads in the ${section.title === 'Pod network' ? 'pod-network' : section.title}`,
      );
    }
    lines.push('');
  }
  return { lines: [...lines, ...mappingLines(placements)], connections };
}
