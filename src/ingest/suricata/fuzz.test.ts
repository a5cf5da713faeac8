import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { fuzzReaderForTest } from '../json-records/testing.js';
import { readSuricataEve } from './read.js';

const FILE = join(
  import.meta.dirname,
  '../../../../shared/data/cloud-flow-logs/aws-real/opensearch-catalog-networkfirewall-sample.json',
);
const FALLBACK =
  '{"event_type":"flow","src_ip":"198.18.0.1","dest_ip":"198.18.0.2","src_port":1,"dest_port":2,"proto":"TCP","flow":{"pkts_toserver":1,"start":"2024-05-01T10:00:00+0000"}}';

function samples(): string[] {
  try {
    const text = readFileSync(FILE, 'utf8');
    const lines = (JSON.parse(text) as unknown[]).map((event) => JSON.stringify(event)).join('\n');
    return [text, lines];
  } catch {
    return [FALLBACK];
  }
}

describe('readSuricataEve() under fuzzing', () => {
  it('returns a report or throws InputError for random and mutated EVE logs', async () => {
    await fuzzReaderForTest(readSuricataEve, samples());
  });
});
