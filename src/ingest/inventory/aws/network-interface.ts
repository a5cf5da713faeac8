import { AddressList, LabelDraft, addInterfaceAddresses } from './aws-record.js';
import type { AwsRecord } from './aws-record.js';
import { asObject, asObjects, stringField } from './json-value.js';
import type { JsonObject } from './json-value.js';

/** The instance a network interface is attached to, or undefined. */
export function attachedInstanceOf(node: JsonObject): string | undefined {
  return stringField(asObject(node.Attachment), 'InstanceId');
}

/**
 * Reads one entry of `describe-network-interfaces`: its addresses, its tags (`TagSet`) as
 * labels, `state` (the interface status), `vpc`, `subnet`, `interface-type` (`interface`,
 * `nat_gateway`, `lambda`, `network_load_balancer`, …), `description` and one
 * `sg/<group-id>` label per security group.
 *
 * @throws RangeError naming the interface when it has no id, no address, or a bad one.
 */
export function parseNetworkInterface(node: JsonObject): AwsRecord {
  const id = stringField(node, 'NetworkInterfaceId');
  if (id === undefined) {
    throw new RangeError(
      'network interface has no NetworkInterfaceId; give the output of describe-network-interfaces',
    );
  }

  const list = new AddressList(`network interface ${id}`);
  addInterfaceAddresses(list, node);
  if (list.addresses.length === 0) {
    throw new RangeError(`network interface ${id} has no IP address`);
  }

  const draft = new LabelDraft();
  draft.setField('state', stringField(node, 'Status'));
  draft.setField('vpc', stringField(node, 'VpcId'));
  draft.setField('subnet', stringField(node, 'SubnetId'));
  draft.setField('interface-type', stringField(node, 'InterfaceType'));
  draft.setField('description', stringField(node, 'Description'));
  draft.setGroups(asObjects(node.Groups));
  draft.setTags(asObjects(node.TagSet));
  return { id, addresses: list.addresses, labels: draft.labels, dropped: draft.dropped };
}
