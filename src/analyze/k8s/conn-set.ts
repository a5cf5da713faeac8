/**
 * Sets of connections (protocol and destination port) as Kubernetes policies express
 * them: TCP, UDP and SCTP, ports 1–65535. Values are immutable; every operation returns
 * a new set.
 */

/** The protocols a NetworkPolicy port may name, in the order connlist prints them. */
export const K8S_PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
export type K8sProtocol = (typeof K8S_PROTOCOLS)[number];

/** An inclusive port interval. */
export interface PortInterval {
  readonly first: number;
  readonly last: number;
}

const MIN_PORT = 1;
const MAX_PORT = 65535;
const FULL: readonly PortInterval[] = [{ first: MIN_PORT, last: MAX_PORT }];

/** Sorted, disjoint, non-adjacent port intervals for each protocol; absent means none. */
export type ConnSet = Readonly<Partial<Record<K8sProtocol, readonly PortInterval[]>>>;

export const NO_CONNS: ConnSet = {};
export const ALL_CONNS: ConnSet = { SCTP: FULL, TCP: FULL, UDP: FULL };

/** Whether a text names a protocol connlist knows (upper case, as Kubernetes writes it). */
export function isK8sProtocol(text: string): text is K8sProtocol {
  return (K8S_PROTOCOLS as readonly string[]).includes(text);
}

/** One protocol on a port range (the whole range when `first`/`last` are left out). */
export function connsOf(protocol: K8sProtocol, first = MIN_PORT, last = MAX_PORT): ConnSet {
  if (first > last) return NO_CONNS;
  return { [protocol]: [{ first, last }] };
}

function normalize(list: PortInterval[]): PortInterval[] {
  const sorted = list.filter((i) => i.first <= i.last).sort((a, b) => a.first - b.first);
  const out: PortInterval[] = [];
  for (const cur of sorted) {
    const prev = out.at(-1);
    if (prev && cur.first <= prev.last + 1) {
      out[out.length - 1] = { first: prev.first, last: Math.max(prev.last, cur.last) };
    } else {
      out.push(cur);
    }
  }
  return out;
}

function intersectIntervals(
  a: readonly PortInterval[],
  b: readonly PortInterval[],
): PortInterval[] {
  const out: PortInterval[] = [];
  for (const x of a) {
    for (const y of b) {
      const first = Math.max(x.first, y.first);
      const last = Math.min(x.last, y.last);
      if (first <= last) out.push({ first, last });
    }
  }
  return normalize(out);
}

function subtractIntervals(a: readonly PortInterval[], b: readonly PortInterval[]): PortInterval[] {
  let rest: PortInterval[] = [...a];
  for (const y of b) {
    const next: PortInterval[] = [];
    for (const x of rest) {
      if (y.last < x.first || y.first > x.last) {
        next.push(x);
        continue;
      }
      if (x.first < y.first) next.push({ first: x.first, last: y.first - 1 });
      if (x.last > y.last) next.push({ first: y.last + 1, last: x.last });
    }
    rest = next;
  }
  return normalize(rest);
}

function combine(
  a: ConnSet,
  b: ConnSet,
  op: (x: readonly PortInterval[], y: readonly PortInterval[]) => PortInterval[],
): ConnSet {
  const out: Partial<Record<K8sProtocol, readonly PortInterval[]>> = {};
  for (const p of K8S_PROTOCOLS) {
    const list = op(a[p] ?? [], b[p] ?? []);
    if (list.length > 0) out[p] = list;
  }
  return out;
}

export function unionConns(a: ConnSet, b: ConnSet): ConnSet {
  return combine(a, b, (x, y) => normalize([...x, ...y]));
}

export function intersectConns(a: ConnSet, b: ConnSet): ConnSet {
  return combine(a, b, intersectIntervals);
}

export function subtractConns(a: ConnSet, b: ConnSet): ConnSet {
  return combine(a, b, subtractIntervals);
}

export function isEmptyConns(set: ConnSet): boolean {
  return K8S_PROTOCOLS.every((p) => (set[p] ?? []).length === 0);
}

export function isAllConns(set: ConnSet): boolean {
  return K8S_PROTOCOLS.every((p) => {
    const list = set[p] ?? [];
    return list.length === 1 && list[0]!.first === MIN_PORT && list[0]!.last === MAX_PORT;
  });
}

export function equalConns(a: ConnSet, b: ConnSet): boolean {
  return formatConns(a) === formatConns(b);
}

/** Whether a set holds one protocol and port. */
export function hasConn(set: ConnSet, protocol: K8sProtocol, port: number): boolean {
  return (set[protocol] ?? []).some((i) => i.first <= port && port <= i.last);
}

function formatInterval(i: PortInterval): string {
  return i.first === i.last ? String(i.first) : `${i.first}-${i.last}`;
}

/**
 * Formats a set the way connlist prints it: `All Connections`, `No Connections`, or
 * protocols in alphabetical order each with its ports (`SCTP 9003,TCP 80-81,UDP 53`).
 */
export function formatConns(set: ConnSet): string {
  if (isAllConns(set)) return 'All Connections';
  if (isEmptyConns(set)) return 'No Connections';
  return K8S_PROTOCOLS.filter((p) => (set[p] ?? []).length > 0)
    .map((p) => `${p} ${(set[p] ?? []).map(formatInterval).join(',')}`)
    .join(',');
}
