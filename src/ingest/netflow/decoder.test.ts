import { describe, expect, it } from 'vitest';

import type { Flow } from '../../domain/index.js';
import {
  FLOW_FIELDS_FOR_TEST,
  buildIpfixForTest,
  buildV5ForTest,
  buildV9ForTest,
} from '../../../test/netflow/datagrams.js';
import type { SetForTest } from '../../../test/netflow/datagrams.js';
import { createNetflowDecoder } from './index.js';
import type { MalformedReason, NetflowIssue } from './index.js';

const EXPORTER = { address: '198.18.0.1', port: 2055 };
const FLOW_RECORD = ['198.18.0.10', '198.18.1.20', 40000, 443, 6, 10, 1500, 95_000, 99_000, 0x1b];
const TEMPLATE: SetForTest = { kind: 'template', id: 256, fields: FLOW_FIELDS_FOR_TEST };
const DATA: SetForTest = {
  kind: 'data',
  id: 256,
  fields: FLOW_FIELDS_FOR_TEST,
  records: [FLOW_RECORD],
};

function decodeAll(datagrams: readonly Uint8Array[]): { flows: Flow[]; issues: NetflowIssue[] } {
  const flows: Flow[] = [];
  const issues: NetflowIssue[] = [];
  const decoder = createNetflowDecoder({ onIssue: (issue) => issues.push(issue) });
  for (const datagram of datagrams) decoder.decode(datagram, EXPORTER, (flow) => flows.push(flow));
  return { flows, issues };
}

function cut(datagram: Uint8Array, length: number): Uint8Array {
  return datagram.subarray(0, length);
}

describe('createNetflowDecoder() on malformed datagrams', () => {
  const v9 = buildV9ForTest({}, [TEMPLATE, DATA]);
  const ipfix = buildIpfixForTest({}, [TEMPLATE, DATA]);
  const v5 = buildV5ForTest({}, [
    {
      src: '198.18.0.1',
      dst: '198.18.0.2',
      srcPort: 1,
      dstPort: 2,
      protocol: 17,
      packets: 1,
      bytes: 60,
    },
  ]);
  const cases: {
    name: string;
    datagrams: Uint8Array[];
    reasons: MalformedReason[];
    flows?: number;
  }[] = [
    { name: 'empty datagram', datagrams: [new Uint8Array(0)], reasons: ['short-header'] },
    { name: 'one byte', datagrams: [Uint8Array.of(0)], reasons: ['short-header'] },
    { name: 'version 7', datagrams: [Uint8Array.of(0, 7, 0, 0)], reasons: ['bad-version'] },
    { name: 'version 0xffff', datagrams: [Uint8Array.of(255, 255)], reasons: ['bad-version'] },
    { name: 'v5 header cut', datagrams: [cut(v5, 20)], reasons: ['short-header'] },
    { name: 'v5 count 0', datagrams: [buildV5ForTest({ count: 0 }, [])], reasons: ['v5-count'] },
    { name: 'v5 count 31', datagrams: [buildV5ForTest({ count: 31 }, [])], reasons: ['v5-count'] },
    {
      name: 'v5 records past the end',
      datagrams: [cut(v5, v5.length - 1)],
      reasons: ['length-past-end'],
    },
    { name: 'v9 header cut', datagrams: [cut(v9, 19)], reasons: ['short-header'] },
    {
      name: 'v9 flowset length 2',
      datagrams: [
        buildV9ForTest({}, [{ kind: 'raw', id: 256, bytes: Uint8Array.of(1, 2, 3, 4), length: 2 }]),
      ],
      reasons: ['set-too-short'],
    },
    {
      name: 'v9 flowset past the end',
      datagrams: [cut(v9, v9.length - 3)],
      reasons: ['set-past-end'],
    },
    {
      name: 'v9 template with zero fields',
      datagrams: [buildV9ForTest({}, [{ kind: 'raw', id: 0, bytes: Uint8Array.of(1, 0, 0, 0) }])],
      reasons: ['template-zero-fields'],
    },
    {
      name: 'v9 template past its flowset',
      datagrams: [
        buildV9ForTest({}, [{ kind: 'raw', id: 0, bytes: Uint8Array.of(1, 0, 0, 9, 0, 8, 0, 4) }]),
      ],
      reasons: ['template-truncated'],
    },
    {
      name: 'v9 template of zero-length fields',
      datagrams: [
        buildV9ForTest({}, [
          {
            kind: 'template',
            id: 300,
            fields: [
              [8, 0],
              [12, 0],
            ],
          },
        ]),
      ],
      reasons: ['template-zero-length'],
    },
    {
      name: 'v9 template id below 256',
      datagrams: [buildV9ForTest({}, [{ kind: 'template', id: 5, fields: [[8, 4]] }])],
      reasons: ['template-bad-id'],
    },
    {
      name: 'v9 options scope not a multiple of 4',
      datagrams: [
        buildV9ForTest({}, [
          { kind: 'raw', id: 1, bytes: Uint8Array.of(1, 0, 0, 3, 0, 4, 0, 1, 0, 4, 0, 34, 0, 4) },
        ]),
      ],
      reasons: ['template-bad-scope'],
    },
    {
      name: 'v9 data record cut by its flowset',
      datagrams: [
        buildV9ForTest({}, [
          TEMPLATE,
          {
            kind: 'raw',
            id: 256,
            bytes: Uint8Array.of(
              198,
              18,
              0,
              1,
              198,
              18,
              0,
              2,
              0,
              1,
              0,
              2,
              6,
              0,
              0,
              0,
              1,
              0,
              0,
              0,
              40,
              0,
              0,
              0,
              1,
              0,
              0,
              0,
              2,
              9,
            ),
          },
        ]),
      ],
      reasons: [],
      flows: 1,
    },
    { name: 'IPFIX header cut', datagrams: [cut(ipfix, 15)], reasons: ['short-header'] },
    {
      name: 'IPFIX length past the datagram',
      datagrams: [buildIpfixForTest({ length: 2000 }, [TEMPLATE])],
      reasons: ['length-past-end'],
    },
    {
      name: 'IPFIX length below the header',
      datagrams: [buildIpfixForTest({ length: 8 }, [TEMPLATE])],
      reasons: ['length-past-end'],
    },
    {
      name: 'IPFIX set length 3',
      datagrams: [
        buildIpfixForTest({}, [{ kind: 'raw', id: 256, bytes: new Uint8Array(4), length: 3 }]),
      ],
      reasons: ['set-too-short'],
    },
    {
      name: 'IPFIX enterprise field cut',
      datagrams: [
        buildIpfixForTest({}, [
          { kind: 'raw', id: 2, bytes: Uint8Array.of(1, 0, 0, 1, 0x80, 8, 0, 4, 0, 0) },
        ]),
      ],
      reasons: ['template-truncated'],
    },
    {
      name: 'IPFIX options template with 0 scope fields',
      datagrams: [
        buildIpfixForTest({}, [
          { kind: 'options-template', id: 300, scope: [], fields: [[34, 4]] },
        ]),
      ],
      reasons: ['template-bad-scope'],
    },
    {
      name: 'IPFIX variable-length field past the set',
      datagrams: [
        buildIpfixForTest({}, [
          {
            kind: 'template',
            id: 300,
            fields: [
              [8, 4],
              [12, 4],
              [82, 65535],
            ],
          },
          { kind: 'raw', id: 300, bytes: Uint8Array.of(198, 18, 0, 1, 198, 18, 0, 2, 200, 1) },
        ]),
      ],
      reasons: ['record-truncated'],
    },
  ];

  it.each(cases)('$name is counted, never thrown', ({ datagrams, reasons, flows = 0 }) => {
    const result = decodeAll(datagrams);
    expect(result.issues.map((issue) => issue.reason)).toEqual(reasons);
    expect(result.flows).toHaveLength(flows);
    for (const issue of result.issues) expect(issue.exporter).toBe('198.18.0.1:2055');
  });

  it('counts data sets without a template as no-template and decodes them not', () => {
    const decoder = createNetflowDecoder();
    decoder.decode(buildV9ForTest({}, [DATA]), EXPORTER, () => undefined);
    decoder.decode(buildIpfixForTest({}, [DATA]), EXPORTER, () => undefined);
    expect(decoder.stats().exporters[0]).toMatchObject({ noTemplate: 2, flows: 0 });
  });
});

describe('createNetflowDecoder() on valid datagrams', () => {
  it('decode() reads a v5 record with times from sysUptime and unix secs', () => {
    const datagram = buildV5ForTest({ sysUptime: 100_000, unixSecs: 1_700_000_000 }, [
      {
        src: '198.18.0.1',
        dst: '198.18.0.2',
        srcPort: 5353,
        dstPort: 53,
        protocol: 17,
        packets: 2,
        bytes: 140,
        first: 90_000,
        last: 95_000,
      },
    ]);
    expect(decodeAll([datagram]).flows).toEqual([
      {
        src: '198.18.0.1',
        dst: '198.18.0.2',
        srcPort: 5353,
        dstPort: 53,
        protocol: 17,
        start: 1_700_000_000_000 - 10_000,
        end: 1_700_000_000_000 - 5_000,
        packets: 2,
        bytes: 140,
        packetsReverse: 0,
        bytesReverse: 0,
        origin: 'unknown',
        tcpFlags: 0,
        observer: '198.18.0.1#0',
      },
    ]);
  });

  it('decode() takes ICMP type and code from a v5 destination port', () => {
    const datagram = buildV5ForTest({}, [
      {
        src: '198.18.0.1',
        dst: '198.18.0.2',
        srcPort: 0,
        dstPort: 0x0800,
        protocol: 1,
        packets: 1,
        bytes: 84,
      },
    ]);
    expect(decodeAll([datagram]).flows[0]).toMatchObject({ dstPort: 8, srcPort: 0 });
  });

  it('decode() reads v9 templates and data in one packet, and keeps the template', () => {
    const result = decodeAll([
      buildV9ForTest({ domain: 7 }, [TEMPLATE, DATA]),
      buildV9ForTest({ domain: 7, sequence: 1 }, [DATA]),
    ]);
    expect(result.flows).toHaveLength(2);
    expect(result.flows[0]).toMatchObject({
      src: '198.18.0.10',
      dst: '198.18.1.20',
      srcPort: 40000,
      dstPort: 443,
      protocol: 6,
      packets: 10,
      bytes: 1500,
      tcpFlags: 0x1b,
      observer: '198.18.0.1#7',
    });
  });

  it('decode() keeps templates per source id: another id has none', () => {
    const result = decodeAll([
      buildV9ForTest({ domain: 1 }, [TEMPLATE]),
      buildV9ForTest({ domain: 2 }, [DATA]),
    ]);
    expect(result.flows).toHaveLength(0);
  });

  it('decode() replaces a refreshed template', () => {
    const swapped: SetForTest = {
      kind: 'template',
      id: 256,
      fields: [
        [12, 4],
        [8, 4],
      ],
    };
    const result = decodeAll([
      buildIpfixForTest({}, [TEMPLATE]),
      buildIpfixForTest({}, [
        swapped,
        {
          kind: 'data',
          id: 256,
          fields: [
            [12, 4],
            [8, 4],
          ],
          records: [['198.18.0.2', '198.18.0.1']],
        },
      ]),
    ]);
    expect(result.flows[0]).toMatchObject({ src: '198.18.0.1', dst: '198.18.0.2' });
  });

  it('decode() forgets a withdrawn IPFIX template, and all templates on id 2', () => {
    const decoder = createNetflowDecoder();
    decoder.decode(
      buildIpfixForTest({}, [
        TEMPLATE,
        { kind: 'template', id: 257, fields: FLOW_FIELDS_FOR_TEST },
      ]),
      EXPORTER,
      () => undefined,
    );
    expect(decoder.templateCount()).toBe(2);
    decoder.decode(
      buildIpfixForTest({}, [{ kind: 'raw', id: 2, bytes: Uint8Array.of(1, 0, 0, 0) }]),
      EXPORTER,
      () => undefined,
    );
    expect(decoder.templateCount()).toBe(1);
    decoder.decode(
      buildIpfixForTest({}, [{ kind: 'raw', id: 2, bytes: Uint8Array.of(0, 2, 0, 0) }]),
      EXPORTER,
      () => undefined,
    );
    expect(decoder.templateCount()).toBe(0);
    expect(decoder.stats().exporters[0]?.templatesWithdrawn).toBe(2);
  });

  it('decode() reads IPv6 addresses, variable-length fields and millisecond times', () => {
    const fields = [
      [27, 16],
      [28, 16],
      [7, 2],
      [11, 2],
      [4, 1],
      [82, 65535],
      [86, 8],
      [85, 8],
      [152, 8],
      [153, 8],
    ] as const;
    const name = new Uint8Array(300).fill(65);
    const datagram = buildIpfixForTest({}, [
      { kind: 'template', id: 300, fields },
      {
        kind: 'data',
        id: 300,
        fields,
        records: [
          [
            '2001:db8::1',
            '2001:db8:0:0:1::2',
            1,
            2,
            17,
            name,
            3,
            300,
            1_700_000_000_123,
            1_700_000_000_456,
          ],
        ],
      },
    ]);
    expect(decodeAll([datagram]).flows[0]).toMatchObject({
      src: '2001:db8::1',
      dst: '2001:db8::1:0:0:2',
      packets: 3,
      bytes: 300,
      start: 1_700_000_000_123,
      end: 1_700_000_000_456,
    });
  });

  it('decode() skips enterprise fields, counting them per enterprise, and reads RFC 5103 reverse counters', () => {
    const fields = [
      [8, 4],
      [12, 4],
      [4, 1],
      [1, 4, 9],
      [2, 4, 29305],
      [1, 4, 29305],
    ] as const;
    const decoder = createNetflowDecoder();
    const flows: Flow[] = [];
    decoder.decode(
      buildIpfixForTest({}, [
        { kind: 'template', id: 300, fields },
        {
          kind: 'data',
          id: 300,
          fields,
          records: [
            ['198.18.0.1', '198.18.0.2', 6, 77, 4, 400],
            ['198.18.0.1', '198.18.0.3', 6, 77, 5, 500],
          ],
        },
      ]),
      EXPORTER,
      (f) => flows.push(f),
    );
    expect(flows[1]).toMatchObject({ packetsReverse: 5, bytesReverse: 500 });
    expect(decoder.stats().exporters[0]?.enterpriseFieldsSkipped).toEqual({ '9': 2 });
  });

  it('decode() applies the sampling interval of options data to later records', () => {
    const optionFields = [[34, 4]] as const;
    const result = decodeAll([
      buildV9ForTest({}, [
        { kind: 'options-template', id: 300, scope: [[1, 4]], fields: optionFields },
        {
          kind: 'data',
          id: 300,
          fields: [
            [1, 4],
            [34, 4],
          ],
          records: [[0, 100]],
        },
        TEMPLATE,
        DATA,
      ]),
    ]);
    expect(result.flows[0]).toMatchObject({ packets: 1000, bytes: 150_000 });
  });

  it('decode() reports sequence loss per domain, across wrap-around', () => {
    const decoder = createNetflowDecoder();
    for (const sequence of [0xfffffffe, 0xffffffff, 2, 3]) {
      decoder.decode(buildV9ForTest({ sequence }, [TEMPLATE]), EXPORTER, () => undefined);
    }
    expect(decoder.stats().exporters[0]?.loss).toMatchObject({ received: 4, lost: 2, expected: 6 });
  });

  it('decode() bounds the template cache per domain and overall', () => {
    const decoder = createNetflowDecoder({ maxTemplatesPerDomain: 3, maxTemplates: 5 });
    const sets: SetForTest[] = Array.from({ length: 10 }, (_, i) => ({
      kind: 'template',
      id: 256 + i,
      fields: FLOW_FIELDS_FOR_TEST,
    }));
    for (let domain = 0; domain < 3; domain++)
      decoder.decode(buildIpfixForTest({ domain }, sets), EXPORTER, () => undefined);
    expect(decoder.templateCount()).toBe(5);
    expect(decoder.stats().exporters[0]?.templatesRefused).toBeGreaterThan(0);
  });
});
