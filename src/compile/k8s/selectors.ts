import type { LabelMatch } from '../../domain/index.js';
import type { GroupPeer } from './groups.js';

/** A Kubernetes label selector (`metav1.LabelSelector`); `{}` selects everything. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists'; values?: string[] }[];
}

/** One label-selector alternative: pods matching `pod` in namespaces matching `namespace`. */
export interface PodAlternative {
  readonly pod: LabelSelector;
  readonly namespace: LabelSelector;
}

/** The label every namespace carries with its own name (Kubernetes 1.22 and later). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * A `labels` peer as selector alternatives (OR). The workload label `namespaceKey` becomes
 * a namespace selector on the namespace's name; the others select pods. `not: {a, b}`
 * excludes endpoints matching all of its keys, so its complement is one alternative per
 * key with `NotIn` (which, like the policy, also matches pods without the key).
 */
export function podAlternatives(
  peer: Extract<GroupPeer, { kind: 'labels' }>,
  namespaceKey: string,
): PodAlternative[] {
  const base = split(peer.match, namespaceKey, 'In');
  if (peer.not === undefined) return [base];
  return Object.entries(peer.not).map(([key, values]) => {
    const extra = split({ [key]: values }, namespaceKey, 'NotIn');
    return { pod: merge(base.pod, extra.pod), namespace: merge(base.namespace, extra.namespace) };
  });
}

function split(match: LabelMatch, namespaceKey: string, operator: 'In' | 'NotIn'): PodAlternative {
  const pod: LabelSelector = {};
  const namespace: LabelSelector = {};
  for (const key of Object.keys(match).sort()) {
    const values = [...match[key]!].sort();
    const target = key === namespaceKey ? namespace : pod;
    const name = key === namespaceKey ? NAMESPACE_NAME_LABEL : key;
    if (operator === 'In' && values.length === 1) {
      target.matchLabels = { ...target.matchLabels, [name]: values[0]! };
    } else {
      target.matchExpressions = [
        ...(target.matchExpressions ?? []),
        { key: name, operator, values },
      ];
    }
  }
  return { pod, namespace };
}

function merge(a: LabelSelector, b: LabelSelector): LabelSelector {
  const out: LabelSelector = {};
  if (a.matchLabels !== undefined || b.matchLabels !== undefined) {
    out.matchLabels = { ...a.matchLabels, ...b.matchLabels };
  }
  if (a.matchExpressions !== undefined || b.matchExpressions !== undefined) {
    out.matchExpressions = [...(a.matchExpressions ?? []), ...(b.matchExpressions ?? [])];
  }
  return out;
}

/** Whether a selector is `{}` (selects everything). */
export function isEmptySelector(selector: LabelSelector): boolean {
  return selector.matchLabels === undefined && selector.matchExpressions === undefined;
}

/** Whether a namespace selector (on the name label only) admits a namespace. */
export function admitsNamespace(selector: LabelSelector, namespace: string): boolean {
  const labels: Record<string, string> = { [NAMESPACE_NAME_LABEL]: namespace };
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const expression of selector.matchExpressions ?? []) {
    const value = labels[expression.key];
    if (expression.operator === 'Exists') {
      if (value === undefined) return false;
      continue;
    }
    const found = value !== undefined && (expression.values ?? []).includes(value);
    if ((expression.operator === 'In') !== found) return false;
  }
  return true;
}

/** A DNS-1123 label part from a rule id or tier name: lowercase letters, digits and `-`. */
export function dnsName(text: string, max = 50): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '');
  return cleaned === '' ? 'x' : cleaned;
}
