// Small readers of HuJSON values that the policy and ACL readers share.
import type { HuMember, HuPlace, HuValue } from './hujson.js';
import type { TailscaleImportError } from './types.js';

/** Where problems and notes go while reading. */
export interface Reporter {
  readonly errors: TailscaleImportError[];
  readonly warnings: string[];
}

export function report(reporter: Reporter, message: string, place?: HuPlace): void {
  reporter.errors.push(place === undefined ? { message } : { message, line: place.line });
}

export function kindName(value: HuValue): string {
  switch (value.kind) {
    case 'array':
      return 'a list';
    case 'object':
      return 'an object';
    case 'string':
      return `the string ${JSON.stringify(value.value)}`;
    case 'number':
      return `the number ${value.value}`;
    case 'boolean':
      return `${value.value}`;
    case 'null':
      return 'null';
  }
}

/** The members of an object, each key once; a repeated key is reported. */
export function members(reporter: Reporter, value: HuValue, where: string): Map<string, HuMember> {
  const out = new Map<string, HuMember>();
  if (value.kind !== 'object') return out;
  for (const member of value.members) {
    if (out.has(member.key)) {
      report(
        reporter,
        `Cannot read "${member.key}" at ${where}: the key is written twice; keep one and merge the values`,
        member.keyPlace,
      );
      continue;
    }
    out.set(member.key, member);
  }
  return out;
}

export function stringList(
  reporter: Reporter,
  value: HuValue,
  where: string,
  hint: string,
): { text: string; place: HuPlace; where: string }[] | undefined {
  if (value.kind !== 'array') {
    report(
      reporter,
      `Cannot read ${where}: it is ${kindName(value)}, not a list; write ${hint}`,
      value,
    );
    return undefined;
  }
  const out: { text: string; place: HuPlace; where: string }[] = [];
  value.items.forEach((item, index) => {
    if (item.kind !== 'string') {
      report(
        reporter,
        `Cannot read ${where}[${index}]: it is ${kindName(item)}, not a string; write ${hint}`,
        item,
      );
      return;
    }
    out.push({ text: item.value, place: item, where: `${where}[${index}]` });
  });
  return out;
}
