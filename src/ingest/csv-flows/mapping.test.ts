import { describe, expect, it } from 'vitest';
import { parseCsvFlowMapping } from './mapping.js';

describe('parseCsvFlowMapping()', () => {
  it.each([
    { name: 'an empty text', text: '', error: 'an entry is empty' },
    { name: 'a trailing comma', text: 'src=a,dst=b,', error: 'an entry is empty' },
    { name: 'an entry without =', text: 'src=a,dst', error: 'entry "dst" has no "="' },
    {
      name: 'an unknown key',
      text: 'src=a,dst=b,port=c',
      error:
        'key "port" is not known; allowed keys are src, dst, sport, dport, proto, start, end, packets, bytes',
    },
    { name: 'a key in upper case', text: 'SRC=a,dst=b', error: 'key "SRC" is not known' },
    { name: 'a key without a column', text: 'src=,dst=b', error: 'key "src" names no column' },
    { name: 'a key given twice', text: 'src=a,src=b,dst=c', error: 'key "src" is given twice' },
    { name: 'no dst', text: 'src=a,dport=b', error: 'key "dst" is missing' },
  ])('refuses $name, naming the text', ({ text, error }) => {
    const result = parseCsvFlowMapping(text);
    expect(result).toEqual({ error: expect.stringContaining(error) });
    expect(result).toEqual({ error: expect.stringContaining(`Cannot parse --map "${text}"`) });
  });

  it('reads every key, trimming blanks around names', () => {
    expect(
      parseCsvFlowMapping(
        'src=srcip, dst = dstip,sport=sp,dport=dp,proto=p,start=t0,end=t1,packets=n,bytes=b',
      ),
    ).toEqual({
      mapping: {
        src: 'srcip',
        dst: 'dstip',
        sport: 'sp',
        dport: 'dp',
        proto: 'p',
        start: 't0',
        end: 't1',
        packets: 'n',
        bytes: 'b',
      },
    });
  });
});
