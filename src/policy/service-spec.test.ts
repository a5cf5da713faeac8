import { describe, expect, it } from 'vitest';

import { parseServiceSpec } from './service-spec.js';
import { loadPolicyForTest } from './load-for-test.js';

describe('parseServiceSpec()', () => {
  it.each([
    // Malformed first.
    {
      name: 'empty',
      input: '',
      code: 'invalid_service',
      message: 'Cannot parse service "": it is empty; write a spec such as tcp/443',
    },
    { name: 'whitespace', input: '   ', code: 'invalid_service', message: 'it is empty' },
    {
      name: 'port zero',
      input: 'tcp/0',
      code: 'port_out_of_range',
      message: 'Cannot parse port range "0": port 0 is out of range; ports run from 1 to 65535',
    },
    { name: 'port 65536', input: 'udp/65536', code: 'port_out_of_range', message: '"65536"' },
    {
      name: 'reversed range',
      input: 'tcp/8080-80',
      code: 'reversed_port_range',
      message:
        'Cannot parse port range "8080-80": first port is greater than last port; write "80-8080"',
    },
    {
      name: 'open range',
      input: 'tcp/80-',
      code: 'invalid_service',
      message: 'write a port such as 443',
    },
    { name: 'negative', input: 'tcp/-1', code: 'invalid_service', message: '"-1"' },
    { name: 'hex port', input: 'tcp/0x50', code: 'invalid_service', message: '"0x50"' },
    { name: 'exponent port', input: 'tcp/1e3', code: 'invalid_service', message: '"1e3"' },
    {
      name: 'two port parts',
      input: 'tcp/80/81',
      code: 'invalid_service',
      message: 'write one port or range',
    },
    {
      name: 'unknown protocol',
      input: 'tcpp/443',
      code: 'unknown_protocol',
      message:
        'Cannot parse service "tcpp/443": "tcpp" is not a protocol; known protocols are tcp, udp, sctp, icmp, icmpv6',
    },
    {
      name: 'protocol 256',
      input: '256/1',
      code: 'unknown_protocol',
      message: '"256" is not a protocol',
    },
    {
      name: 'icmp type 256',
      input: 'icmp/256',
      code: 'icmp_out_of_range',
      message: 'Cannot parse ICMP type "256": 256 is out of range; ICMP types run from 0 to 255',
    },
    {
      name: 'icmp code 300',
      input: 'icmp/3/300',
      code: 'icmp_out_of_range',
      message: 'ICMP code "300"',
    },
    { name: 'icmp range', input: 'icmp/3-4', code: 'invalid_service', message: 'without ranges' },
    {
      name: 'icmp three parts',
      input: 'icmp/3/4/5',
      code: 'invalid_service',
      message: 'a type and an optional code',
    },
    {
      name: 'ports on gre',
      input: '47/5',
      code: 'invalid_service',
      message: 'protocol 47 has no ports; write 47',
    },
    {
      name: 'unknown name without policy',
      input: 'https',
      code: 'unknown_service',
      message: 'no policy was given',
    },
  ])('parseServiceSpec() rejects $name', ({ input, code, message }) => {
    const result = parseServiceSpec(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe(code);
    expect(result.message).toContain(message);
  });

  it.each([
    { name: 'any', input: 'any', want: [{ protocol: 'any' }] },
    {
      name: 'upper-case protocol',
      input: 'TCP/443',
      want: [{ protocol: 6, ports: [{ first: 443, last: 443 }] }],
    },
    {
      name: 'single port',
      input: 'tcp/443',
      want: [{ protocol: 6, ports: [{ first: 443, last: 443 }] }],
    },
    {
      name: 'range',
      input: 'tcp/49152-65535',
      want: [{ protocol: 6, ports: [{ first: 49152, last: 65535 }] }],
    },
    { name: 'all ports', input: 'udp', want: [{ protocol: 17 }] },
    {
      name: 'sctp',
      input: 'sctp/38412',
      want: [{ protocol: 132, ports: [{ first: 38412, last: 38412 }] }],
    },
    { name: 'icmp type', input: 'icmp/8', want: [{ protocol: 1, icmpType: 8 }] },
    {
      name: 'icmp type and code',
      input: 'icmp/3/4',
      want: [{ protocol: 1, icmpType: 3, icmpCode: 4 }],
    },
    { name: 'icmpv6 type', input: 'icmpv6/128', want: [{ protocol: 58, icmpType: 128 }] },
    { name: 'all icmp', input: 'icmp', want: [{ protocol: 1 }] },
    { name: 'protocol number', input: '47', want: [{ protocol: 47 }] },
    {
      name: 'numbered tcp',
      input: '6/22',
      want: [{ protocol: 6, ports: [{ first: 22, last: 22 }] }],
    },
  ])('parseServiceSpec() reads $name', ({ input, want }) => {
    expect(parseServiceSpec(input)).toEqual({ ok: true, entries: want });
  });

  it('parseServiceSpec() resolves a service name of the given policy', () => {
    const policy = loadPolicyForTest('version: 1\nservices:\n  dns: [udp/53, tcp/53]\n');
    expect(parseServiceSpec('dns', policy)).toEqual({
      ok: true,
      entries: [
        { protocol: 17, ports: [{ first: 53, last: 53 }] },
        { protocol: 6, ports: [{ first: 53, last: 53 }] },
      ],
    });
    expect(parseServiceSpec('dnss', policy)).toMatchObject({
      ok: false,
      code: 'unknown_service',
      message: expect.stringContaining('known names are dns'),
    });
  });
});
