import { parseAddress } from '../../../domain/index.js';
import type { Address, LabelSet } from '../../../domain/index.js';
import { asObject, asObjects, stringField } from './json-value.js';
import type { JsonObject } from './json-value.js';
import { labelValueOfTag, tagLabel } from './tag-label.js';

/** An instance or network interface read from the AWS JSON, before its name is chosen. */
export interface AwsRecord {
  /** `i-…` or `eni-…`. */
  readonly id: string;
  readonly addresses: Address[];
  readonly labels: LabelSet;
  /** Labels that could not be set, one sentence each. */
  readonly dropped: readonly string[];
}

/** Collects a record's addresses in order, once each. */
export class AddressList {
  readonly #owner: string;
  readonly addresses: Address[] = [];

  constructor(owner: string) {
    this.#owner = owner;
  }

  /** Adds an address field's value; a missing field adds nothing. */
  add(text: string | undefined): void {
    if (text === undefined) return;

    let address: Address;
    try {
      address = parseAddress(text);
    } catch {
      throw new RangeError(
        `${this.#owner} has address "${text}", which is not an IP address; fix the file or export it again with the AWS CLI`,
      );
    }
    if (!this.addresses.includes(address)) this.addresses.push(address);
  }
}

/**
 * Builds a record's labels. Fixed labels (`vpc`, `subnet`, `state`, `sg/…`) are set first
 * and win; a tag whose label key is already set, or that cannot be a label, is dropped
 * with a sentence saying why.
 */
export class LabelDraft {
  readonly labels: Record<string, string> = {};
  readonly dropped: string[] = [];

  /** Sets a fixed label from an AWS field; a missing field sets nothing. */
  setField(key: string, value: string | undefined): void {
    if (value === undefined) return;
    const label = tagLabel(key, value);
    if (label.ok) this.labels[label.key] = label.value;
    else this.dropped.push(label.reason);
  }

  /** Sets one `sg/<group-id>` label per security group, its value the group's name. */
  setGroups(groups: readonly JsonObject[]): void {
    for (const group of groups) {
      const id = stringField(group, 'GroupId');
      if (id === undefined) continue;
      const name = labelValueOfTag(stringField(group, 'GroupName') ?? '');
      this.setField(`sg/${id}`, name.length > 0 ? name : id);
    }
  }

  /** Sets a label per tag (`Tags` or `TagSet` entries with `Key` and `Value`). */
  setTags(tags: readonly JsonObject[]): void {
    for (const tag of tags) {
      const key = stringField(tag, 'Key');
      if (key === undefined) continue;

      const label = tagLabel(key, stringField(tag, 'Value') ?? '');
      if (!label.ok) {
        this.dropped.push(label.reason);
      } else if (label.key in this.labels) {
        this.dropped.push(`tag "${key}" gives label key "${label.key}", which is already set`);
      } else {
        this.labels[label.key] = label.value;
      }
    }
  }
}

/** Adds the addresses one network interface entry lists, primary first. */
export function addInterfaceAddresses(list: AddressList, eni: JsonObject): void {
  list.add(stringField(eni, 'PrivateIpAddress'));
  for (const private_ of asObjects(eni.PrivateIpAddresses)) {
    list.add(stringField(private_, 'PrivateIpAddress'));
    list.add(stringField(asObject(private_.Association), 'PublicIp'));
  }
  list.add(stringField(asObject(eni.Association), 'PublicIp'));
  for (const ipv6 of asObjects(eni.Ipv6Addresses)) list.add(stringField(ipv6, 'Ipv6Address'));
}
