import { describe, expect, it } from 'vitest';

import { parseListenAddress } from './collector.js';

describe('parseListenAddress()', () => {
  it.each([
    { name: 'empty', input: '' },
    { name: 'host name', input: 'localhost:2055' },
    { name: 'port 65536', input: '127.0.0.1:65536' },
    { name: 'no port', input: '127.0.0.1' },
    { name: 'bare IPv6 without brackets', input: '::1:2055' },
    { name: 'bad quad', input: '127.0.0.256:2055' },
    { name: 'negative port', input: '127.0.0.1:-1' },
  ])('rejects $name', ({ input }) => {
    expect(() => parseListenAddress(input)).toThrow(/Cannot listen on/);
  });

  it.each([
    { input: '127.0.0.1:2055', want: { host: '127.0.0.1', port: 2055 } },
    { input: '[::1]:4739', want: { host: '::1', port: 4739 } },
    { input: '0.0.0.0:0', want: { host: '0.0.0.0', port: 0 } },
    { input: '9995', want: { host: '127.0.0.1', port: 9995 } },
  ])('reads $input', ({ input, want }) => {
    expect(parseListenAddress(input)).toEqual(want);
  });
});
