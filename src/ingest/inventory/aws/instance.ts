import { AddressList, LabelDraft, addInterfaceAddresses } from './aws-record.js';
import type { AwsRecord } from './aws-record.js';
import { asObject, asObjects, stringField } from './json-value.js';
import type { JsonObject } from './json-value.js';

/** The instance id of an entry of `Reservations[].Instances`, or undefined. */
export function instanceIdOf(node: JsonObject): string | undefined {
  return stringField(node, 'InstanceId');
}

/**
 * Reads one instance of `describe-instances`: its private, public and IPv6 addresses
 * (the instance's own fields and those of each network interface), its tags as labels,
 * `state`, `vpc`, `subnet` and one `sg/<group-id>` label per security group.
 *
 * @throws RangeError naming the instance when it has no id, no address, or a bad one.
 */
export function parseAwsInstance(node: JsonObject): AwsRecord {
  const id = instanceIdOf(node);
  if (id === undefined) {
    throw new RangeError('instance has no InstanceId; give the output of describe-instances');
  }

  const list = new AddressList(`instance ${id}`);
  list.add(stringField(node, 'PrivateIpAddress'));
  list.add(stringField(node, 'PublicIpAddress'));
  list.add(stringField(node, 'Ipv6Address'));
  for (const eni of asObjects(node.NetworkInterfaces)) addInterfaceAddresses(list, eni);
  const state = stringField(asObject(node.State), 'Name');
  if (list.addresses.length === 0) {
    throw new RangeError(
      `instance ${id} (state ${state ?? 'unknown'}) has no IP address; only instances with a private or public address can be workloads`,
    );
  }

  const draft = new LabelDraft();
  draft.setField('state', state);
  draft.setField('vpc', stringField(node, 'VpcId'));
  draft.setField('subnet', stringField(node, 'SubnetId'));
  draft.setGroups(asObjects(node.SecurityGroups));
  draft.setTags(asObjects(node.Tags));
  return { id, addresses: list.addresses, labels: draft.labels, dropped: draft.dropped };
}
