import { describe, it } from 'vitest';
import { fuzzReaderForTest } from '../json-records/testing.js';
import { DEFAULT_CSV_FLOW_MAPPING } from './mapping.js';
import { readCsvFlows } from './read.js';

const SAMPLE = [
  'src,dst,sport,dport,proto,start,end,packets,bytes',
  '198.18.0.10,198.18.1.20,51234,5432,tcp,1714557600,1714557660,12,1500',
  '198.18.0.10,198.18.0.2,40112,53,17,2024-05-01T10:00:00Z,2024-05-01T10:00:00Z,1,74',
  '"2001:db8::1","2001:db8::2",0,128,icmpv6,1714557600000,1714557600500,3,312',
].join('\n');

describe('readCsvFlows() under fuzzing', () => {
  it('returns a report or throws InputError for random and mutated CSV', async () => {
    await fuzzReaderForTest(
      (file, sink) => readCsvFlows(file, sink, DEFAULT_CSV_FLOW_MAPPING),
      [SAMPLE],
    );
  });
});
