import { describe, expect, it } from 'vitest';

import { loadPolicyForTest } from './load-for-test.js';
import { parseSelectorText } from './selector-text.js';

const policy = loadPolicyForTest(`
version: 1
networks:
  internet: {cidrs: [0.0.0.0/0]}
segments:
  cde: {select: {app: payments}}
`);

describe('parseSelectorText()', () => {
  it.each([
    { name: 'empty', input: '', code: 'invalid_selector', message: 'it is empty' },
    {
      name: 'host bits',
      input: '10.0.0.1/8',
      code: 'invalid_cidr',
      message: 'Cannot parse CIDR "10.0.0.1/8": host bits are set; write 10.0.0.0/8',
    },
    {
      name: 'prefix /33',
      input: '10.0.0.0/33',
      code: 'invalid_cidr',
      message: 'write a number from 0 to 32',
    },
    {
      name: 'prefix /129',
      input: '2001:db8::/129',
      code: 'invalid_cidr',
      message: 'from 0 to 128',
    },
    {
      name: 'leading zero',
      input: '10.01.0.1',
      code: 'invalid_cidr',
      message: 'octet "01" has a leading zero',
    },
    { name: 'empty octet', input: '1.2..3', code: 'invalid_cidr', message: 'is not an IP address' },
    { name: 'three octets', input: '1.2.3', code: 'invalid_cidr', message: 'is not an IP address' },
    { name: 'label without value', input: 'app', code: 'ok', message: '' },
    {
      name: 'label key illegal',
      input: 'App=web',
      code: 'invalid_label_key',
      message: 'label key "App" must start with a lower-case letter',
    },
    {
      name: 'label value illegal',
      input: 'app=-web',
      code: 'invalid_label_value',
      message: 'label value "-web"',
    },
    {
      name: 'label part without =',
      input: 'app=web,db',
      code: 'invalid_selector',
      message: '"db" is not key=value',
    },
    {
      name: 'repeated key',
      input: 'app=web,app=db',
      code: 'invalid_selector',
      message: 'key "app" appears twice',
    },
    {
      name: 'unknown network',
      input: 'network:intranet',
      code: 'unknown_network',
      message: 'Cannot find network "intranet": no network has that name; known names are internet',
    },
    {
      name: 'unknown segment',
      input: 'segment:pci',
      code: 'unknown_segment',
      message: 'known names are cde',
    },
    {
      name: 'empty workload name',
      input: 'workload:',
      code: 'invalid_selector',
      message: 'write workload:NAME',
    },
    {
      name: 'name with a control character',
      input: 'workload:web\u00011',
      code: 'invalid_selector',
      message: 'write workload:NAME',
    },
  ])('parseSelectorText() rejects $name', ({ input, code, message }) => {
    const result = parseSelectorText(input, policy);
    if (code === 'ok') {
      expect(result.ok).toBe(true);
      return;
    }
    expect(result).toMatchObject({ ok: false, code, message: expect.stringContaining(message) });
  });

  it.each([
    { name: 'bare workload', input: 'web-1', want: { kind: 'workload', name: 'web-1' } },
    { name: 'prefixed workload', input: 'workload:db-1', want: { kind: 'workload', name: 'db-1' } },
    {
      name: 'Kubernetes workload (namespace/name)',
      input: 'workload:bookinfo/productpage-v1',
      want: { kind: 'workload', name: 'bookinfo/productpage-v1' },
    },
    {
      name: 'inventory name with blanks',
      input: 'workload:Web Server 1',
      want: { kind: 'workload', name: 'Web Server 1' },
    },
    { name: 'address', input: '198.18.0.1', want: { kind: 'cidr', cidr: '198.18.0.1/32' } },
    { name: 'IPv6 address', input: '2001:DB8::1', want: { kind: 'cidr', cidr: '2001:db8::1/128' } },
    { name: 'CIDR', input: '198.18.0.0/15', want: { kind: 'cidr', cidr: '198.18.0.0/15' } },
    { name: 'network', input: 'network:internet', want: { kind: 'network', name: 'internet' } },
    { name: 'segment', input: 'segment:cde', want: { kind: 'segment', name: 'cde' } },
    {
      name: 'labels',
      input: 'app=web, role=db',
      want: { kind: 'labels', match: { app: ['web'], role: ['db'] } },
    },
    { name: 'any', input: 'any', want: { kind: 'any' } },
  ])('parseSelectorText() reads $name', ({ input, want }) => {
    expect(parseSelectorText(input, policy)).toEqual({ ok: true, term: want, selector: [want] });
  });

  it('parseSelectorText() leaves network names unchecked without a policy', () => {
    expect(parseSelectorText('network:anything')).toMatchObject({ ok: true });
  });
});
