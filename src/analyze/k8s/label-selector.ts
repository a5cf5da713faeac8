/**
 * Kubernetes label selectors (`matchLabels` and `matchExpressions`). An empty selector
 * matches everything; the requirements of one selector are ANDed.
 */

/** A set-based requirement of a label selector. */
export interface SelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values: readonly string[];
}

/** A parsed `metav1.LabelSelector`. */
export interface LabelSelector {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly matchExpressions: readonly SelectorRequirement[];
}

/** The selector `{}`, which selects every object. */
export const EVERYTHING: LabelSelector = { matchLabels: {}, matchExpressions: [] };

function requirementHolds(req: SelectorRequirement, labels: Readonly<Record<string, string>>) {
  const value = labels[req.key];
  switch (req.operator) {
    case 'In':
      return value !== undefined && req.values.includes(value);
    case 'NotIn':
      return value === undefined || !req.values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
  }
}

/** Whether a label selector selects an object with these labels. */
export function selectorMatches(
  selector: LabelSelector,
  labels: Readonly<Record<string, string>>,
): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels)) {
    if (labels[key] !== value) return false;
  }
  return selector.matchExpressions.every((req) => requirementHolds(req, labels));
}

/** Whether a selector is `{}`. */
export function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;
}
