import { asObjects, integerField, stringField } from './json-value.js';
import type { JsonObject } from './json-value.js';

/** One permission of a security group, as AWS lists it (`IpPermissions` entries). */
export interface AwsPermission {
  /** `tcp`, `udp`, `icmp`, `icmpv6`, a protocol number, or `-1` for every protocol. */
  readonly protocol: string;
  /** First port, or ICMP type; absent for every protocol. */
  readonly fromPort?: number;
  /** Last port, or ICMP code; absent for every protocol. */
  readonly toPort?: number;
  readonly cidrs: readonly string[];
  /** Security group ids the permission names as peers. */
  readonly groups: readonly string[];
  readonly prefixLists: readonly string[];
}

/** A security group kept from `describe-security-groups` for later use (reachability). */
export interface AwsSecurityGroup {
  readonly id: string;
  readonly name: string;
  readonly vpcId?: string;
  readonly description?: string;
  readonly ingress: readonly AwsPermission[];
  readonly egress: readonly AwsPermission[];
}

function permissionOf(node: JsonObject): AwsPermission {
  const cidrs = [
    ...asObjects(node.IpRanges).map((range) => stringField(range, 'CidrIp')),
    ...asObjects(node.Ipv6Ranges).map((range) => stringField(range, 'CidrIpv6')),
  ];
  const groups = asObjects(node.UserIdGroupPairs).map((pair) => stringField(pair, 'GroupId'));
  const prefixLists = asObjects(node.PrefixListIds).map((list) =>
    stringField(list, 'PrefixListId'),
  );
  const permission = {
    protocol: stringField(node, 'IpProtocol') ?? '-1',
    cidrs: cidrs.filter((cidr) => cidr !== undefined),
    groups: groups.filter((group) => group !== undefined),
    prefixLists: prefixLists.filter((list) => list !== undefined),
  };

  const fromPort = integerField(node, 'FromPort');
  const toPort = integerField(node, 'ToPort');
  return {
    ...permission,
    ...(fromPort === undefined ? {} : { fromPort }),
    ...(toPort === undefined ? {} : { toPort }),
  };
}

/**
 * Reads one entry of `SecurityGroups`.
 *
 * @throws RangeError when the entry has no `GroupId`.
 */
export function parseSecurityGroup(node: JsonObject): AwsSecurityGroup {
  const id = stringField(node, 'GroupId');
  if (id === undefined) {
    throw new RangeError(
      'security group has no GroupId; give the output of describe-security-groups',
    );
  }

  const vpcId = stringField(node, 'VpcId');
  const description = stringField(node, 'Description');
  return {
    id,
    name: stringField(node, 'GroupName') ?? id,
    ...(vpcId === undefined ? {} : { vpcId }),
    ...(description === undefined ? {} : { description }),
    ingress: asObjects(node.IpPermissions).map(permissionOf),
    egress: asObjects(node.IpPermissionsEgress).map(permissionOf),
  };
}
