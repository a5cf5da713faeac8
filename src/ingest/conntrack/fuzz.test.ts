import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { fuzzReaderForTest } from '../json-records/testing.js';
import { readConntrack } from './read.js';

const TESTDATA = join(import.meta.dirname, 'testdata');

describe('readConntrack() under fuzzing', () => {
  it('returns a report or throws InputError for random and mutated tables', async () => {
    await fuzzReaderForTest(readConntrack, [
      readFileSync(join(TESTDATA, 'extended.txt'), 'utf8'),
      readFileSync(join(TESTDATA, 'table.xml'), 'utf8'),
    ]);
  });
});
