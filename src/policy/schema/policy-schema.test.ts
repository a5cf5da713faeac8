import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { loadPolicy } from '../load.js';

import { POLICY_SCHEMA } from './policy-schema.js';

type Schema = Readonly<Record<string, unknown>>;

/**
 * A validator for the keywords POLICY_SCHEMA uses, and only those. Returns the paths
 * that fail, empty when the value fits.
 */
function validate(schema: Schema, value: unknown, path = '$'): string[] {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/$defs/', '');
    return validate((POLICY_SCHEMA.$defs as Record<string, Schema>)[name] ?? {}, value, path);
  }
  if (Array.isArray(schema.oneOf)) {
    const fits = (schema.oneOf as Schema[]).filter(
      (one) => validate(one, value, path).length === 0,
    );
    return fits.length === 1 ? [] : [`${path}: fits ${fits.length} of oneOf`];
  }
  if ('const' in schema && value !== schema.const) return [`${path}: not ${String(schema.const)}`];
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return [`${path}: not in enum`];
  if (schema.type !== undefined && !hasType(schema.type as string, value)) {
    return [`${path}: not ${schema.type as string}`];
  }
  if (typeof value === 'string') return validateString(schema, value, path);
  if (Array.isArray(value)) return validateArray(schema, value, path);
  if (typeof value === 'object' && value !== null) {
    return validateObject(schema, value as Record<string, unknown>, path);
  }
  return [];
}

function hasType(type: string, value: unknown): boolean {
  if (type === 'array') return Array.isArray(value);
  if (type === 'object')
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  return typeof value === type;
}

function validateString(schema: Schema, value: string, path: string): string[] {
  const out: string[] = [];
  if (typeof schema.minLength === 'number' && value.length < schema.minLength)
    out.push(`${path}: too short`);
  if (typeof schema.maxLength === 'number' && value.length > schema.maxLength)
    out.push(`${path}: too long`);
  if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
    out.push(`${path}: does not match ${schema.pattern}`);
  }
  return out;
}

function validateArray(schema: Schema, value: readonly unknown[], path: string): string[] {
  const out: string[] = [];
  if (typeof schema.minItems === 'number' && value.length < schema.minItems)
    out.push(`${path}: too few items`);
  if (schema.items !== undefined) {
    value.forEach((item, index) =>
      out.push(...validate(schema.items as Schema, item, `${path}[${index}]`)),
    );
  }
  return out;
}

function validateObject(schema: Schema, value: Record<string, unknown>, path: string): string[] {
  const out: string[] = [];
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const keys = Object.keys(value);
  if (typeof schema.minProperties === 'number' && keys.length < schema.minProperties) {
    out.push(`${path}: too few properties`);
  }
  for (const key of (schema.required ?? []) as string[]) {
    if (!(key in value)) out.push(`${path}: ${key} is missing`);
  }
  for (const key of keys) {
    const where = `${path}.${key}`;
    if (schema.propertyNames !== undefined && !(key in properties)) {
      out.push(...validate(schema.propertyNames as Schema, key, `${where} (name)`));
    }
    if (key in properties) out.push(...validate(properties[key] ?? {}, value[key], where));
    else if (schema.additionalProperties === false) out.push(`${where}: not allowed`);
    else if (typeof schema.additionalProperties === 'object') {
      out.push(...validate(schema.additionalProperties as Schema, value[key], where));
    }
  }
  return out;
}

const example = readFileSync(new URL('../testdata/design-example.yaml', import.meta.url), 'utf8');

describe('POLICY_SCHEMA', () => {
  it.each([
    { name: 'no version', text: 'rules: []', want: '$: version is missing' },
    { name: 'version 2', text: 'version: 2', want: '$.version: not 1' },
    {
      name: 'unknown top-level field',
      text: 'version: 1\npolicy: []',
      want: '$.policy: not allowed',
    },
    {
      name: 'rule without services',
      text: 'version: 1\nrules: [{id: a, from: any, to: any}]',
      want: '$.rules[0]: services is missing',
    },
    {
      name: 'unknown action',
      text: 'version: 1\nrules: [{id: a, action: drop, from: any, to: any, services: any}]',
      want: '$.rules[0].action: not in enum',
    },
    {
      name: 'upper-case rule id',
      text: 'version: 1\nrules: [{id: Web, from: any, to: any, services: any}]',
      want: '$.rules[0].id: does not match',
    },
    {
      name: 'empty selector list',
      text: 'version: 1\nrules: [{id: a, from: [], to: any, services: any}]',
      want: '$.rules[0].from: fits 0 of oneOf',
    },
    {
      name: 'label key with a capital',
      text: 'version: 1\nrules: [{id: a, from: {App: web}, to: any, services: any}]',
      want: '$.rules[0].from: fits 0 of oneOf',
    },
    {
      name: 'network without cidrs',
      text: 'version: 1\nnetworks: {n: {except: []}}',
      want: '$.networks.n: cidrs is missing',
    },
    {
      name: 'mode that does not exist',
      text: 'version: 1\nmodes: [{scope: any, mode: strict}]',
      want: '$.modes[0].mode: not in enum',
    },
    {
      name: 'test with a list of services',
      text: 'version: 1\ntests: [{from: any, to: any, service: [tcp/1], expect: allow}]',
      want: '$.tests[0].service: not string',
    },
  ])('POLICY_SCHEMA rejects $name', ({ text, want }) => {
    expect(validate(POLICY_SCHEMA, parse(text)).join('\n')).toContain(want);
  });

  it('POLICY_SCHEMA accepts the DESIGN.md example', () => {
    expect(validate(POLICY_SCHEMA, parse(example))).toEqual([]);
    expect(loadPolicy(example, 'design-example.yaml').policy).toBeDefined();
  });

  // Each section with a document that uses every field the schema lists for it: the
  // loader must accept each field, and a field the schema does not list must be refused
  // by both, so the two cannot drift apart.
  const defs = POLICY_SCHEMA.$defs;
  it.each([
    {
      name: 'top level',
      fields: Object.keys(POLICY_SCHEMA.properties),
      wrap: (f: string) => `version: 1\n${f}`,
    },
    {
      name: 'tier',
      fields: Object.keys(defs.tier.properties),
      wrap: (f: string) => `version: 1\ntiers: [{name: t, rules: [], ${f}}]`,
    },
    {
      name: 'rule',
      fields: Object.keys(defs.rule.properties),
      wrap: (f: string) => `version: 1\nrules: [{id: r, from: any, to: any, services: any, ${f}}]`,
    },
    {
      name: 'network',
      fields: Object.keys(defs.network.properties),
      wrap: (f: string) => `version: 1\nnetworks: {n: {cidrs: [198.18.0.0/15], ${f}}}`,
    },
    {
      name: 'segment',
      fields: Object.keys(defs.segment.properties),
      wrap: (f: string) => `version: 1\nsegments: {s: {select: any, ${f}}}`,
    },
    {
      name: 'mode',
      fields: Object.keys(defs.mode.properties),
      wrap: (f: string) => `version: 1\nmodes: [{scope: any, mode: test, ${f}}]`,
    },
    {
      name: 'test',
      fields: Object.keys(defs.test.properties),
      wrap: (f: string) =>
        `version: 1\ntests: [{from: any, to: any, service: tcp/1, expect: deny, ${f}}]`,
    },
  ])('POLICY_SCHEMA lists exactly the $name fields the loader accepts', ({ fields, wrap }) => {
    const unknown = (text: string) =>
      loadPolicy(text, 'p.yaml').issues.filter((issue) => issue.code === 'unknown_field').length;

    // A repeated key is a YAML error, so each field is tried on its own key "bogus" first.
    expect(unknown(wrap('bogus: 1'))).toBe(1);
    expect(validate(POLICY_SCHEMA, parse(wrap('bogus: 1'))).join()).toContain('bogus: not allowed');
    for (const field of fields) {
      const text = wrap(`${field}: ${SAMPLE[field] ?? 'x'}`).replace(
        /, (\w+): (.*), \1: \2/,
        ', $1: $2',
      );
      expect({ field, unknown: unknown(text) }).toEqual({ field, unknown: 0 });
    }
  });
});

/** A value the loader reads for each field name, when `x` would not do. */
const SAMPLE: Record<string, string> = {
  version: '1',
  services: '{web: tcp/80}',
  networks: '{m: {cidrs: [198.19.0.0/16]}}',
  segments: '{g: {select: any}}',
  modes: '[]',
  tiers: '[]',
  rules: '[]',
  tests: '[]',
  action: 'deny',
  from: 'any',
  to: 'any',
  expires: '2027-01-31',
  cidrs: '[198.18.0.0/15]',
  except: '[198.18.0.0/24]',
  select: 'any',
  isolated: 'true',
  exceptions: '[]',
  scope: 'any',
  mode: 'test',
  service: 'tcp/1',
  expect: 'deny',
};
