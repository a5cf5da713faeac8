import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { fuzzReaderForTest } from '../json-records/testing.js';
import { readHubbleFlows } from './read.js';

const HUBBLE = join(import.meta.dirname, '../../../../shared/data/hubble-flows-bookinfo/hubble');
const FALLBACK =
  '{"flow":{"time":"2024-05-01T10:00:00Z","verdict":"FORWARDED","IP":{"source":"10.0.0.1","destination":"10.0.0.2"},"l4":{"TCP":{"source_port":1,"destination_port":2,"flags":{"SYN":true}}},"is_reply":false}}';

function samples(): string[] {
  try {
    return [
      'basic-sample-10-flows.json',
      'basic-sample-400-icmpv4-flows.json',
      'basic-sample-5-http-flows.json',
    ].map((name) => readFileSync(join(HUBBLE, name), 'utf8'));
  } catch {
    return [FALLBACK];
  }
}

describe('readHubbleFlows() under fuzzing', () => {
  it('returns a report or throws InputError for random and mutated captures', async () => {
    await fuzzReaderForTest(readHubbleFlows, samples());
  });
});
