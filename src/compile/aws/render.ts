import type { LabelMatch, LabelSet } from '../../domain/index.js';
import { labelExpression } from '../calico/render.js';
import { rulesMayOverlap } from '../k8s/groups.js';
import type { GroupPeer, GroupPlan, GroupRule } from '../k8s/groups.js';
import type { TargetNote } from '../k8s/notes.js';
import { describeService } from '../k8s/render.js';
import { dnsName } from '../k8s/selectors.js';

/** One permission of a security group, in the shape of the EC2 API's `IpPermission`. */
export interface AwsPermission {
  readonly RuleId: string;
  readonly IpProtocol: string;
  readonly FromPort?: number;
  readonly ToPort?: number;
  readonly IpRanges?: readonly { readonly CidrIp: string; readonly Description: string }[];
  readonly Ipv6Ranges?: readonly { readonly CidrIpv6: string; readonly Description: string }[];
  readonly UserIdGroupPairs?: readonly { readonly GroupId: string; readonly Description: string }[];
}

/** One security group: the workloads a label selector picks. */
export interface AwsSecurityGroup {
  /** Stable key; other groups reference this one as `${sg:<key>}`. */
  readonly key: string;
  readonly groupName: string;
  readonly description: string;
  readonly members: readonly string[];
  readonly ingress: readonly AwsPermission[];
  readonly egress: readonly AwsPermission[];
}

/** The security groups of a policy, for Terraform or the AWS CLI. */
export interface AwsSecurityGroups {
  readonly securityGroups: readonly AwsSecurityGroup[];
  /** The groups each workload's network interface joins. */
  readonly interfaces: readonly { readonly workload: string; readonly groups: readonly string[] }[];
  /** Emitted, but not exactly the policy. */
  readonly warnings: readonly TargetNote[];
  /** The policy cannot be expressed: do not apply. */
  readonly errors: readonly TargetNote[];
}

/**
 * Renders the policy as AWS security groups, one per label selector that a rule uses as
 * a side (and `bulkhead-all` for `any`), each referencing the others by the placeholder
 * `${sg:<key>}` that Terraform or a script replaces with the real group id. Security
 * groups only allow, have no order and no tiers, and their union applies; default egress
 * must be revoked (the document lists every egress rule the group keeps).
 *
 * Deny and pass rules cannot be expressed. A deny that no allow rule may overlap is left
 * out with a warning (the default deny already denies those flows); a deny an allow may
 * overlap is an error naming both rules, since the groups would let those flows through.
 * A pass is left out with a warning. ICMP codes without types and ports of protocols
 * other than TCP/UDP are errors on allow rules.
 */
export function renderAws(plan: GroupPlan): AwsSecurityGroups {
  const warnings: TargetNote[] = [];
  const errors: TargetNote[] = [];
  const groups = new Map<
    string,
    { group: AwsSecurityGroup; ingress: AwsPermission[]; egress: AwsPermission[] }
  >();
  const allows = plan.tiers.flatMap((tier) => tier.rules.filter((rule) => rule.action === 'allow'));

  const groupOf = (peer: GroupPeer): string | undefined => {
    if (peer.kind === 'addresses') return undefined;
    const key =
      peer.kind === 'any'
        ? 'all'
        : dnsName(
            labelExpression(peer.match, peer.not).replace(/'/g, '').replace(/ == /g, '-'),
            60,
          );
    if (!groups.has(key)) {
      const members = plan.workloads
        .filter(
          (workload) => peer.kind === 'any' || labelsSelect(peer.match, peer.not, workload.labels),
        )
        .map((workload) => workload.name);
      const description =
        peer.kind === 'any' ? 'every workload' : labelExpression(peer.match, peer.not);
      groups.set(key, {
        group: { key, groupName: `bulkhead-${key}`, description, members, ingress: [], egress: [] },
        ingress: [],
        egress: [],
      });
    }
    return key;
  };

  for (const tier of plan.tiers) {
    for (const rule of tier.rules) {
      if (rule.action === 'pass') {
        warnings.push({
          rule: rule.id,
          message: `Rule "${rule.id}" is a pass, which security groups cannot express (no tiers): it is left out`,
        });
        continue;
      }
      if (rule.action === 'deny') {
        const overlapping = allows
          .filter((allow) => rulesMayOverlap(rule, allow))
          .map((allow) => `"${allow.id}"`);
        if (overlapping.length > 0) {
          errors.push({
            rule: rule.id,
            message: `Cannot express deny rule "${rule.id}" in security groups: they only allow, and allow ${overlapping.length === 1 ? 'rule' : 'rules'} ${overlapping.join(', ')} may let through flows it denies; narrow the allow rules or enforce this boundary on hosts`,
          });
        } else {
          warnings.push({
            rule: rule.id,
            message: `Deny rule "${rule.id}" is left out: security groups only allow, and no allow rule overlaps it, so the default deny covers it`,
          });
        }
        continue;
      }
      const protocols = permissions(rule, errors);
      for (const [direction, subjects, peers] of [
        ['ingress', rule.to, rule.from],
        ['egress', rule.from, rule.to],
      ] as const) {
        for (const subject of subjects) {
          const key = groupOf(subject);
          if (key === undefined) continue;
          const sources = peers.flatMap((peer) => peerEntries(peer, groupOf));
          const entry = groups.get(key)!;
          for (const protocol of protocols) {
            entry[direction].push({ RuleId: rule.id, ...protocol, ...mergeSources(sources) });
          }
        }
      }
    }
  }

  const securityGroups = [...groups.values()]
    .map(({ group, ingress, egress }) => ({ ...group, ingress, egress }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const interfaces = plan.workloads.map((workload) => ({
    workload: workload.name,
    groups: securityGroups
      .filter((group) => group.members.includes(workload.name))
      .map((group) => group.groupName),
  }));
  return { securityGroups, interfaces, warnings, errors };
}

function labelsSelect(match: LabelMatch, not: LabelMatch | undefined, labels: LabelSet): boolean {
  const all = (m: LabelMatch) =>
    Object.entries(m).every(
      ([key, values]) => labels[key] !== undefined && values.includes(labels[key]),
    );
  return all(match) && (not === undefined || !all(not));
}

type Source =
  | { readonly kind: 'v4'; readonly cidr: string }
  | { readonly kind: 'v6'; readonly cidr: string }
  | { readonly kind: 'group'; readonly key: string };

function peerEntries(peer: GroupPeer, groupOf: (peer: GroupPeer) => string | undefined): Source[] {
  switch (peer.kind) {
    case 'any':
      return [
        { kind: 'v4', cidr: '0.0.0.0/0' },
        { kind: 'v6', cidr: '::/0' },
      ];
    case 'labels':
      return [{ kind: 'group', key: groupOf(peer)! }];
    case 'addresses':
      return [
        ...peer.prefixes.v4.map((cidr): Source => ({ kind: 'v4', cidr })),
        ...peer.prefixes.v6.map((cidr): Source => ({ kind: 'v6', cidr })),
      ];
  }
}

function mergeSources(sources: readonly Source[]): Partial<AwsPermission> {
  const out: {
    IpRanges?: { CidrIp: string; Description: string }[];
    Ipv6Ranges?: { CidrIpv6: string; Description: string }[];
    UserIdGroupPairs?: { GroupId: string; Description: string }[];
  } = {};
  for (const source of sources) {
    if (source.kind === 'v4')
      (out.IpRanges ??= []).push({ CidrIp: source.cidr, Description: 'bulkhead' });
    if (source.kind === 'v6')
      (out.Ipv6Ranges ??= []).push({ CidrIpv6: source.cidr, Description: 'bulkhead' });
    if (source.kind === 'group') {
      (out.UserIdGroupPairs ??= []).push({
        GroupId: `\${sg:${source.key}}`,
        Description: 'bulkhead',
      });
    }
  }
  return out;
}

function permissions(
  rule: GroupRule,
  errors: TargetNote[],
): Pick<AwsPermission, 'IpProtocol' | 'FromPort' | 'ToPort'>[] {
  return rule.services.flatMap(
    (service): Pick<AwsPermission, 'IpProtocol' | 'FromPort' | 'ToPort'>[] => {
      const fail = (): [] => {
        errors.push({
          rule: rule.id,
          message: `Cannot express ${describeService(service)} of rule "${rule.id}" in security groups: ports only for TCP and UDP`,
        });
        return [];
      };
      switch (service.kind) {
        case 'any':
          return [{ IpProtocol: '-1' }];
        case 'protocol':
          if (service.protocol === 6 || service.protocol === 17) {
            return [
              { IpProtocol: service.protocol === 6 ? 'tcp' : 'udp', FromPort: 0, ToPort: 65535 },
            ];
          }
          if (service.protocol === 1 || service.protocol === 58) {
            return [
              { IpProtocol: service.protocol === 1 ? 'icmp' : 'icmpv6', FromPort: -1, ToPort: -1 },
            ];
          }
          return [{ IpProtocol: String(service.protocol) }];
        case 'ports':
          if (service.protocol !== 6 && service.protocol !== 17) {
            const every =
              service.ports.length === 1 &&
              service.ports[0]!.first === 0 &&
              service.ports[0]!.last === 65535;
            return every ? [{ IpProtocol: String(service.protocol) }] : fail();
          }
          return service.ports.map((range) => ({
            IpProtocol: service.protocol === 6 ? 'tcp' : 'udp',
            FromPort: range.first,
            ToPort: range.last,
          }));
        case 'icmp':
          return [
            {
              IpProtocol: service.protocol === 1 ? 'icmp' : 'icmpv6',
              FromPort: service.type,
              ToPort: service.code ?? -1,
            },
          ];
      }
    },
  );
}
