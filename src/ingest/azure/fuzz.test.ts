import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { fuzzReaderForTest } from '../json-records/testing.js';
import { readAzureFlowLog } from './read.js';

const AZURE = join(import.meta.dirname, '../../../../shared/data/cloud-flow-logs/azure-docs');
const FALLBACK =
  '{"records":[{"macAddress":"A","flowRecords":{"flows":[{"flowGroups":[{"rule":"R","flowTuples":["1663146003599,10.0.0.6,52.239.184.180,23956,443,6,O,B,NX,0,0,0,0"]}]}]}}]}';

function samples(): string[] {
  try {
    return ['nsg-flow-log-v2-sample.json', 'vnet-flow-log-v4-sample.json'].map((name) =>
      readFileSync(join(AZURE, name), 'utf8'),
    );
  } catch {
    return [FALLBACK];
  }
}

describe('readAzureFlowLog() under fuzzing', () => {
  it('returns a report or throws InputError for random and mutated blobs', async () => {
    await fuzzReaderForTest(readAzureFlowLog, samples());
  });
});
