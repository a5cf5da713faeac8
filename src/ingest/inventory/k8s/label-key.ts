import { isLabelKey, isLabelValue } from '../../../domain/index.js';

/** A Kubernetes label turned into a Bulkhead label, or the reason it could not be. */
export type PodLabel =
  | { readonly ok: true; readonly key: string; readonly value: string }
  | { readonly ok: false; readonly reason: string };

/**
 * Turns a Kubernetes label into a label. Kubernetes keys hold only letters, digits,
 * `-`, `_`, `.` and one `/`, so the key is only lower-cased (`/` is kept:
 * `app.kubernetes.io/name` stays as it is). A key that then does not start with a letter
 * or is longer than 63 characters (a long DNS prefix), and an empty value, cannot be
 * labels and are dropped with the reason.
 */
export function podLabel(key: string, value: unknown): PodLabel {
  const labelKey = key.toLowerCase();
  const text = typeof value === 'string' ? value : String(value);
  if (!isLabelKey(labelKey)) {
    return {
      ok: false,
      reason: `label key "${key}" must start with a letter and be at most 63 characters`,
    };
  }
  if (!isLabelValue(text)) {
    return { ok: false, reason: `label "${key}" has value "${text}", which is not a label value` };
  }
  return { ok: true, key: labelKey, value: text };
}
