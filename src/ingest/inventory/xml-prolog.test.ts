import { describe, expect, it } from 'vitest';
import { declaresEntities, decodeXmlText, findDoctype } from './xml-prolog.js';

describe('findDoctype()', () => {
  it.each([
    { name: 'no prolog', text: '<nmaprun/>', want: undefined },
    { name: 'an unclosed comment', text: '<!-- x', want: undefined },
    { name: 'a DOCTYPE after the root', text: '<a/><!DOCTYPE a>', want: undefined },
    {
      name: 'nmap DOCTYPE',
      text: '<?xml version="1.0"?>\n<!DOCTYPE nmaprun>\n<nmaprun/>',
      want: { text: '<!DOCTYPE nmaprun>', line: 2 },
    },
    {
      name: 'an internal subset after a comment',
      text: '<!-- c -->\n\n<!DOCTYPE r [\n<!ENTITY e SYSTEM "file:///etc/passwd">\n]>\n<r>&e;</r>',
      want: { text: '<!DOCTYPE r [\n<!ENTITY e SYSTEM "file:///etc/passwd">\n]>', line: 3 },
    },
  ])('$name', ({ text, want }) => {
    expect(findDoctype(text)).toEqual(want);
  });

  it('tells a DOCTYPE that declares entities from one that does not', () => {
    expect(declaresEntities({ text: '<!DOCTYPE r [<!ENTITY a "x">]>', line: 1 })).toBe(true);
    expect(declaresEntities({ text: '<!DOCTYPE nmaprun>', line: 1 })).toBe(false);
  });
});

describe('decodeXmlText()', () => {
  it.each([
    {
      name: 'predefined entities',
      text: 'a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;',
      want: 'a & b <c> "d" \'e\'',
    },
    { name: 'character references', text: '&#45;&#x41;', want: '-A' },
    { name: 'an undeclared entity stays as written', text: '&ee; &copy;', want: '&ee; &copy;' },
    { name: 'a reference beyond Unicode stays', text: '&#x110000;', want: '&#x110000;' },
    { name: 'plain text', text: 'Linux 2.6', want: 'Linux 2.6' },
  ])('$name', ({ text, want }) => {
    expect(decodeXmlText(text)).toBe(want);
  });
});
