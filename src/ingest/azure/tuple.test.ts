import { describe, expect, it } from 'vitest';
import { parseAzureTuple } from './tuple.js';

describe('parseAzureTuple()', () => {
  it.each([
    {
      name: 'a v4 state that is not B, C, E or D',
      text: '1,10.0.0.1,10.0.0.2,1,2,6,O,A,NX,0,0,0,0',
      layout: 'vnet-v4' as const,
      want: 'tuple field "state" is "A"',
    },
    {
      name: 'a v4 protocol above 255',
      text: '1,10.0.0.1,10.0.0.2,1,2,256,O,B,NX,0,0,0,0',
      layout: 'vnet-v4' as const,
      want: 'tuple field "protocol" is "256"',
    },
    {
      name: 'a v1 tuple with 9 fields',
      text: '1,10.0.0.1,10.0.0.2,1,2,T,O,A,B',
      layout: 'nsg-v1' as const,
      want: 'tuple has 9 comma-separated fields, the nsg-v1 layout has 8',
    },
    {
      name: 'a time in exponent form',
      text: '1e9,10.0.0.1,10.0.0.2,1,2,T,O,A',
      layout: 'nsg-v1' as const,
      want: 'tuple field "time" is "1e9"',
    },
    {
      name: 'a hex address',
      text: '1,0x1.2.3.4,10.0.0.2,1,2,T,O,A',
      layout: 'nsg-v1' as const,
      want: 'tuple field "src" is "0x1.2.3.4"',
    },
  ])('rejects $name', ({ text, layout, want }) => {
    expect(() => parseAzureTuple(text, layout)).toThrow(want);
  });

  it('reads a v1 tuple as a begin tuple without counters', () => {
    expect(parseAzureTuple('1542110377,10.5.16.4,203.0.113.118,59831,443,U,O,D', 'nsg-v1')).toEqual(
      {
        time: 1_542_110_377_000,
        src: '10.5.16.4',
        dst: '203.0.113.118',
        srcPort: 59831,
        dstPort: 443,
        protocol: 17,
        state: 'B',
        action: 'reject',
        packets: 0,
        bytes: 0,
        packetsReverse: 0,
        bytesReverse: 0,
      },
    );
  });

  it('reads a v4 D tuple as rejected, time already in milliseconds, IPv6 canonical', () => {
    const tuple = parseAzureTuple(
      '1663145998065,2001:DB8::0:1,10.0.0.6,55188,22,6,I,D,NX,0,0,0,0',
      'vnet-v4',
    );
    expect(tuple).toMatchObject({
      time: 1_663_145_998_065,
      src: '2001:db8::1',
      action: 'reject',
      state: 'D',
    });
  });
});
