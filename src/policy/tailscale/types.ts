import type { Policy, Workload } from '../../domain/index.js';

/**
 * A device of the tailnet, as the importer needs it: its name, owner (absent for tagged
 * devices), tags, Tailscale addresses and the subnet routes it is approved to serve.
 */
export interface TailscaleNode {
  readonly name: string;
  /** The login name of the owning user, such as `alice@example.com`; absent when tagged. */
  readonly user?: string;
  readonly tags: readonly string[];
  readonly ipv4?: string;
  readonly ipv6?: string;
  /** Approved subnet routes (prefixes); `0.0.0.0/0` and `::/0` make an exit node. */
  readonly routes?: readonly string[];
}

/** One problem that stops an import, with the line of the policy file it is on. */
export interface TailscaleImportError {
  readonly message: string;
  readonly line?: number;
}

/** The Bulkhead policy made from a Tailscale policy, or every reason it could not be made. */
export type TailscaleImport =
  | {
      readonly ok: true;
      /** The policy as Bulkhead YAML; `loadPolicy` reads it back into `policy`. */
      readonly policyYaml: string;
      readonly policy: Policy;
      /** One workload per node, labelled with its user, tags and kind. */
      readonly workloads: Workload[];
      /** What was imported only in part, or not at all. */
      readonly warnings: string[];
    }
  | { readonly ok: false; readonly errors: TailscaleImportError[] };

/** A successful import. */
export type TailscaleImported = Extract<TailscaleImport, { ok: true }>;

/** An inclusive port range as Tailscale's packet filter writes it. */
export interface FilterPortRange {
  readonly First: number;
  readonly Last: number;
}

/** A destination of a packet-filter rule: an address, prefix or `*`, and a port range. */
export interface FilterDestination {
  readonly IP: string;
  readonly Ports: FilterPortRange;
}

/**
 * One rule of a node's packet filter, in the shape Tailscale's control plane sends: the
 * sources, the destinations with ports, and the IP protocol numbers (absent: TCP, UDP,
 * ICMP and ICMPv6).
 */
export interface PacketFilterRule {
  readonly SrcIPs: string[];
  readonly DstPorts: FilterDestination[];
  readonly IPProto?: number[];
}
