/** A workload's labels: one value per key. */
export type LabelSet = Readonly<Record<string, string>>;

/** The standard label keys; others are allowed. */
export const STANDARD_LABEL_KEYS = ['role', 'app', 'env', 'loc', 'data'] as const;

const KEY = /^[a-z][a-z0-9_./-]{0,62}$/;
const VALUE = /^[A-Za-z0-9][A-Za-z0-9_./:-]{0,127}$/;

/** Whether a text is a valid label key (lower case, starts with a letter). */
export function isLabelKey(text: string): boolean {
  return KEY.test(text);
}

/** Whether a text is a valid label value. */
export function isLabelValue(text: string): boolean {
  return VALUE.test(text);
}

/**
 * Parses `key=value`.
 *
 * @throws RangeError naming the value and the fix.
 */
export function parseLabel(text: string): readonly [string, string] {
  const eq = text.indexOf('=');
  if (eq < 0) {
    throw new RangeError(`Cannot parse label "${text}": write key=value, for example app=payments`);
  }
  const key = text.slice(0, eq).trim();
  const value = text.slice(eq + 1).trim();
  if (!isLabelKey(key)) {
    throw new RangeError(
      `Cannot parse label "${text}": key "${key}" must start with a lower-case letter and hold only a-z, 0-9, _ . / -`,
    );
  }
  if (!isLabelValue(value)) {
    throw new RangeError(
      `Cannot parse label "${text}": value "${value}" must start with a letter or digit and hold only letters, digits, _ . / : -`,
    );
  }
  return [key, value];
}
