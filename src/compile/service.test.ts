import { describe, expect, it } from 'vitest';

import { servicesForTest as svc } from './testdata/policy-for-test.js';
import { mergePortRanges, planServices } from './service.js';

describe('mergePortRanges()', () => {
  it.each([
    { name: 'empty', input: [], want: [] },
    {
      name: 'adjacent',
      input: [
        { first: 80, last: 80 },
        { first: 81, last: 90 },
      ],
      want: [{ first: 80, last: 90 }],
    },
    {
      name: 'overlap',
      input: [
        { first: 100, last: 200 },
        { first: 50, last: 150 },
      ],
      want: [{ first: 50, last: 200 }],
    },
    {
      name: 'disjoint',
      input: [
        { first: 443, last: 443 },
        { first: 80, last: 80 },
      ],
      want: [
        { first: 80, last: 80 },
        { first: 443, last: 443 },
      ],
    },
    {
      name: 'whole range',
      input: [
        { first: 0, last: 65535 },
        { first: 22, last: 22 },
      ],
      want: [{ first: 0, last: 65535 }],
    },
  ])('$name', ({ input, want }) => {
    expect(mergePortRanges(input)).toEqual(want);
  });
});

describe('planServices()', () => {
  it.each([
    { name: 'any', input: svc('any'), want: [{ kind: 'any' }] },
    {
      name: 'any among others',
      input: [{ protocol: 6, ports: [{ first: 22, last: 22 }] }, { protocol: 'any' as const }],
      want: [{ kind: 'any' }],
    },
    {
      name: 'ports merged per protocol',
      input: svc('udp/53', 'tcp/443', 'tcp/80', 'tcp/81-90'),
      want: [
        {
          kind: 'ports',
          protocol: 6,
          ports: [
            { first: 80, last: 90 },
            { first: 443, last: 443 },
          ],
        },
        { kind: 'ports', protocol: 17, ports: [{ first: 53, last: 53 }] },
      ],
    },
    {
      name: 'tcp without ports is every port',
      input: svc('tcp'),
      want: [{ kind: 'ports', protocol: 6, ports: [{ first: 0, last: 65535 }] }],
    },
    {
      name: 'icmp type covers its codes',
      input: svc('icmp/3/4', 'icmp/3', 'icmp/3/4'),
      want: [{ kind: 'icmp', protocol: 1, type: 3 }],
    },
    {
      name: 'whole icmp covers every type',
      input: svc('icmp/8', 'icmp'),
      want: [{ kind: 'protocol', protocol: 1 }],
    },
    {
      name: 'icmpv6 kept apart from icmp',
      input: svc('icmpv6/128', 'icmp/8/0'),
      want: [
        { kind: 'icmp', protocol: 1, type: 8, code: 0 },
        { kind: 'icmp', protocol: 58, type: 128 },
      ],
    },
    { name: 'other protocol', input: svc('47'), want: [{ kind: 'protocol', protocol: 47 }] },
  ])('$name', ({ input, want }) => {
    expect(planServices(input)).toEqual(want);
  });
});
