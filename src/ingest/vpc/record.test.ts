import { describe, expect, it } from 'vitest';
import { createVpcLayout, VPC_DEFAULT_FIELDS } from './layout.js';
import { parseVpcRecord } from './record.js';

const place = { file: 'test.log', line: 1 };
const v2 = createVpcLayout(VPC_DEFAULT_FIELDS, place);
const GOOD =
  '2 123456789010 eni-1 198.18.0.1 198.18.0.2 40000 443 6 10 840 1700000000 1700000060 ACCEPT OK';

/** The good record with one default-format field replaced. */
function withField(name: string, value: string): string[] {
  const fields = GOOD.split(' ');
  fields[VPC_DEFAULT_FIELDS.indexOf(name)] = value;
  return fields;
}

describe('parseVpcRecord()', () => {
  it.each([
    {
      name: 'port is a name',
      field: 'dstport',
      value: 'http',
      want: 'field "dstport" is "http": expected a number from 0 to 65535',
    },
    {
      name: 'port 65536',
      field: 'srcport',
      value: '65536',
      want: 'field "srcport" is "65536": expected a number from 0 to 65535',
    },
    { name: 'negative port', field: 'dstport', value: '-1', want: 'field "dstport" is "-1"' },
    {
      name: 'protocol above 255',
      field: 'protocol',
      value: '300',
      want: 'field "protocol" is "300": expected a number from 0 to 255',
    },
    { name: 'protocol name', field: 'protocol', value: 'tcp', want: 'field "protocol" is "tcp"' },
    {
      name: 'empty octet',
      field: 'srcaddr',
      value: '1.2..3',
      want: 'field "srcaddr" is "1.2..3": expected an IPv4 or IPv6 address',
    },
    {
      name: 'hex address',
      field: 'dstaddr',
      value: '0x1.2.3.4',
      want: 'field "dstaddr" is "0x1.2.3.4"',
    },
    { name: 'unset address', field: 'srcaddr', value: '-', want: 'field "srcaddr" is "-"' },
    { name: 'exponent packets', field: 'packets', value: '1e2', want: 'field "packets" is "1e2"' },
    { name: 'decimal bytes', field: 'bytes', value: '12.5', want: 'field "bytes" is "12.5"' },
    {
      name: 'unknown action',
      field: 'action',
      value: 'DROP',
      want: 'field "action" is "DROP": expected ACCEPT, REJECT or -',
    },
    {
      name: 'unknown log-status',
      field: 'log-status',
      value: 'FAIL',
      want: 'field "log-status" is "FAIL"',
    },
    {
      name: 'end before start',
      field: 'end',
      value: '1600000000',
      want: 'field "end" is "1600000000": expected a time no earlier than start',
    },
  ])('rejects a record whose $name', ({ field, value, want }) => {
    expect(() => parseVpcRecord(withField(field, value), v2)).toThrow(want);
  });

  it('turns a v2 record into a one-way flow with times in milliseconds', () => {
    expect(parseVpcRecord(GOOD.split(' '), v2)).toEqual({
      src: '198.18.0.1',
      dst: '198.18.0.2',
      srcPort: 40000,
      dstPort: 443,
      protocol: 6,
      start: 1_700_000_000_000,
      end: 1_700_000_060_000,
      packets: 10,
      bytes: 840,
      packetsReverse: 0,
      bytesReverse: 0,
      origin: 'unknown',
      action: 'accept',
    });
  });

  it('maps REJECT to action reject', () => {
    expect(parseVpcRecord(withField('action', 'REJECT'), v2).action).toBe('reject');
  });

  const custom = createVpcLayout(
    [
      'srcaddr',
      'dstaddr',
      'pkt-srcaddr',
      'pkt-dstaddr',
      'protocol',
      'tcp-flags',
      'shiny-new-field',
    ],
    place,
  );
  it.each([
    { name: 'SYN alone is a handshake', flags: '2', origin: 'handshake' },
    { name: 'SYN-ACK is not', flags: '18', origin: 'unknown' },
    { name: 'SYN with FIN is not', flags: '3', origin: 'unknown' },
    { name: 'SYN with RST is not', flags: '6', origin: 'unknown' },
    { name: 'FIN alone is not', flags: '1', origin: 'unknown' },
  ])('tcp-flags: $name', ({ flags, origin }) => {
    const flow = parseVpcRecord(['10.0.0.1', '10.0.0.2', '-', '-', '6', flags, 'x'], custom);
    expect(flow.origin).toBe(origin);
    expect(flow.tcpFlags).toBe(Number(flags));
  });

  it('rejects tcp-flags above 255', () => {
    expect(() =>
      parseVpcRecord(['10.0.0.1', '10.0.0.2', '-', '-', '6', '256', 'x'], custom),
    ).toThrow('field "tcp-flags" is "256"');
  });

  it('takes pkt-srcaddr and pkt-dstaddr over srcaddr and dstaddr when they are set', () => {
    const flow = parseVpcRecord(
      ['10.40.1.175', '10.40.2.31', '10.20.33.164', '-', '6', '-', 'x'],
      custom,
    );
    expect([flow.src, flow.dst]).toEqual(['10.20.33.164', '10.40.2.31']);
    expect(flow.tcpFlags).toBeUndefined();
  });

  it('names pkt-srcaddr when that is the bad value', () => {
    expect(() =>
      parseVpcRecord(['10.0.0.1', '10.0.0.2', '10.0.0.300', '-', '6', '-', 'x'], custom),
    ).toThrow('field "pkt-srcaddr" is "10.0.0.300"');
  });

  it('writes IPv6 addresses in canonical form', () => {
    const fields = withField('srcaddr', '2001:DB8:0:0:0:0:0:1');
    expect(parseVpcRecord(fields, v2).src).toBe('2001:db8::1');
  });
});
