const NAME = /^[a-z0-9][a-z0-9_.-]*$/;

/**
 * Whether a text may name a rule, tier, service, network or segment: lower case letters,
 * digits, `_ . -`, starting with a letter or digit. Names appear in compiled rulesets'
 * comments and counters, so they stay plain.
 */
export function isPolicyName(text: string): boolean {
  return NAME.test(text) && text.length <= 128;
}

/** The rule a name breaks, for messages. */
export const NAME_RULE =
  'use lower-case letters, digits, "_", "." and "-", starting with a letter or digit';

/** Lists names for a "known names are …" message. */
export function knownNames(names: Iterable<string>): string {
  const list = [...names].sort();
  return list.length === 0 ? 'none are defined' : `known names are ${list.join(', ')}`;
}
