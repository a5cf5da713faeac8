import { isLabelKey, isLabelValue } from '../../../domain/index.js';

/** A tag turned into a label, or the reason it could not be. */
export type TagLabel =
  | { readonly ok: true; readonly key: string; readonly value: string }
  | { readonly ok: false; readonly reason: string };

/**
 * Turns an AWS tag key into a label key: lower case, `:` becomes `/` (so
 * `aws:cloudformation:stack-name` keeps its namespaces as `aws/cloudformation/stack-name`),
 * every other run of characters a label key may not hold becomes `_`, and anything before
 * the first letter is dropped. `Cost Center` becomes `cost_center`.
 */
export function labelKeyOfTag(key: string): string {
  return key
    .toLowerCase()
    .replaceAll(':', '/')
    .replace(/[^a-z0-9_./-]+/g, '_')
    .replace(/^[^a-z]+/, '');
}

/**
 * Turns an AWS tag value into a label value: every run of characters a label value may
 * not hold (blanks included) becomes `_`, and anything before the first letter or digit
 * is dropped. `Web server #2` becomes `Web_server_2`; case is kept.
 */
export function labelValueOfTag(value: string): string {
  return value.replace(/[^A-Za-z0-9_./:-]+/g, '_').replace(/^[^A-Za-z0-9]+/, '');
}

/** Turns one tag into a label, or says why it cannot be one. */
export function tagLabel(key: string, value: string): TagLabel {
  const labelKey = labelKeyOfTag(key);
  if (!isLabelKey(labelKey)) {
    return {
      ok: false,
      reason: `tag key "${key}" gives label key "${labelKey}", which is empty or longer than 63 characters`,
    };
  }

  const labelValue = labelValueOfTag(value);
  if (!isLabelValue(labelValue)) {
    return {
      ok: false,
      reason: `tag "${key}" has value "${value}", which is empty or longer than 128 characters as a label value`,
    };
  }
  return { ok: true, key: labelKey, value: labelValue };
}
