import { describe, expect, it } from 'vitest';

import { parseHujson } from './hujson.js';

describe('parseHujson()', () => {
  it.each([
    { name: 'empty text', input: '', line: 1, message: /text is empty/ },
    { name: 'whitespace only', input: '  \n  ', line: 2, message: /text is empty/ },
    {
      name: 'missing comma between members',
      input: '{\n  "a": 1\n  "b": 2\n}',
      line: 3,
      message: /separate members with ","/,
    },
    { name: 'missing colon', input: '{\n "acls" []\n}', line: 2, message: /write a ":"/ },
    { name: 'unquoted key', input: '{\n  acls: []\n}', line: 2, message: /keys are double-quoted/ },
    { name: 'single-quoted string', input: '{"a": \'b\'}', line: 1, message: /double quotes/ },
    {
      name: 'unclosed string',
      input: '{\n"a": "b\n}',
      line: 2,
      message: /raw control character|not closed/,
    },
    {
      name: 'unclosed block comment',
      input: '{\n/* open\n"a": 1}',
      line: 2,
      message: /block comment is not closed/,
    },
    { name: 'unclosed object', input: '{"a": [1, 2]', line: 1, message: /close the object/ },
    { name: 'unclosed array', input: '{"a": [1, 2\n}', line: 2, message: /close the array/ },
    { name: 'leading zero', input: '{"a": 022}', line: 1, message: /not a JSON number/ },
    { name: 'hex number', input: '{"a": 0x16}', line: 1, message: /not a JSON number/ },
    { name: 'two commas', input: '["a",,]', line: 1, message: /where a value should start/ },
    { name: 'bad escape', input: '["\\q"]', line: 1, message: /unknown escape/ },
    {
      name: 'text after the value',
      input: '{}\n{}',
      line: 2,
      message: /after the end of the top-level value/,
    },
    { name: 'bare word', input: '{"a": yes}', line: 1, message: /where a value should start/ },
  ])('parseHujson() rejects $name with its line', ({ input, line, message }) => {
    const result = parseHujson(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.line).toBe(line);
    expect(result.message).toMatch(/^Cannot parse HuJSON: /);
    expect(result.message).toMatch(message);
  });

  it.each([
    { name: 'line comments', input: '// head\n{"a": 1} // tail', want: { a: 1 } },
    { name: 'block comments', input: '{/* x */"a": /* y */ 1}', want: { a: 1 } },
    {
      name: 'trailing commas',
      input: '{"a": [1, 2,], "b": {"c": true,},}',
      want: { a: [1, 2], b: { c: true } },
    },
    { name: 'escapes', input: '["\\"\\\\\\u0041\\n"]', want: ['"\\A\n'] },
    { name: 'numbers', input: '[0, -1, 1.5, 2e3]', want: [0, -1, 1.5, 2000] },
    { name: 'null and booleans', input: '[null, true, false]', want: [null, true, false] },
    {
      name: 'comment marker inside a string',
      input: '["a//b", "c/*d*/"]',
      want: ['a//b', 'c/*d*/'],
    },
  ])('parseHujson() reads $name', ({ input, want }) => {
    const result = parseHujson(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(plain(result.value)).toEqual(want);
  });

  it('parseHujson() records the line of each value', () => {
    const result = parseHujson('{\n  "acls": [\n    "x",\n  ],\n}');
    expect(result.ok).toBe(true);
    if (!result.ok || result.value.kind !== 'object') return;
    const acls = result.value.members[0];
    expect(acls?.keyPlace.line).toBe(2);
    expect(acls?.value.kind === 'array' ? acls.value.items[0]?.line : 0).toBe(3);
  });
});

function plain(
  value: ReturnType<typeof parseHujson> extends infer R
    ? R extends { ok: true; value: infer V }
      ? V
      : never
    : never,
): unknown {
  switch (value.kind) {
    case 'array':
      return value.items.map(plain);
    case 'object':
      return Object.fromEntries(value.members.map((m) => [m.key, plain(m.value)]));
    case 'null':
      return null;
    case 'boolean':
    case 'number':
    case 'string':
      return value.value;
  }
}
