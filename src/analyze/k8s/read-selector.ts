/** Reading of label selectors and ports, shared by every policy kind. */
import type { K8sProtocol } from './conn-set.js';
import { isK8sProtocol } from './conn-set.js';
import type { LabelSelector, SelectorRequirement } from './label-selector.js';
import type { Where } from './narrow.js';
import { at, fail, labels, list, object, optList, optObject, optString } from './narrow.js';

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

function readRequirement(value: unknown, where: Where): SelectorRequirement {
  const obj = object(value, where);
  const key = optString(obj.key, at(where, 'key'));
  if (key === undefined) fail(at(where, 'key'), 'a selector requirement needs a key');
  const operator = optString(obj.operator, at(where, 'operator'));
  const op = OPERATORS.find((o) => o === operator);
  if (op === undefined) {
    fail(at(where, 'operator'), `"${operator}" is not one of ${OPERATORS.join(', ')}`);
  }
  const values = list(obj.values, at(where, 'values')).map(
    (v, i) => optString(v, at(at(where, 'values'), i)) ?? '',
  );
  if ((op === 'In' || op === 'NotIn') && values.length === 0) {
    fail(at(where, 'values'), `operator ${op} needs at least one value`);
  }
  if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) {
    fail(at(where, 'values'), `operator ${op} takes no values`);
  }
  return { key, operator: op, values };
}

/** A `metav1.LabelSelector`; undefined when the field is absent. */
export function readSelector(value: unknown, where: Where): LabelSelector | undefined {
  const obj = optObject(value, where);
  if (obj === undefined) return undefined;
  const matchExpressions = (optList(obj.matchExpressions, at(where, 'matchExpressions')) ?? []).map(
    (r, i) => readRequirement(r, at(at(where, 'matchExpressions'), i)),
  );
  return { matchLabels: labels(obj.matchLabels, at(where, 'matchLabels')), matchExpressions };
}

/** A protocol name; TCP when absent, as Kubernetes defaults it. */
export function readProtocol(value: unknown, where: Where): K8sProtocol {
  const text = optString(value, where) ?? 'TCP';
  if (!isK8sProtocol(text)) fail(where, `protocol "${text}" is not TCP, UDP or SCTP`);
  return text;
}

/** Checks a port number is in 1–65535. */
export function checkPort(port: number, where: Where): number {
  if (port < 1 || port > 65535) fail(where, `port ${port} is outside 1-65535`);
  return port;
}
