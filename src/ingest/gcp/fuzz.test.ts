import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { fuzzReaderForTest } from '../json-records/testing.js';
import { readGcpFlowLog } from './read.js';

const TESTDATA = join(import.meta.dirname, 'testdata');

describe('readGcpFlowLog() under fuzzing', () => {
  it('returns a report or throws InputError for random and mutated exports', async () => {
    await fuzzReaderForTest(readGcpFlowLog, [
      readFileSync(join(TESTDATA, 'vpc-flows.jsonl'), 'utf8'),
      readFileSync(join(TESTDATA, 'vpc-flows-array.json'), 'utf8'),
    ]);
  });
});
