import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ingestFile } from '../../src/ingest/index.js';
import { openSqliteStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { SHARED_DATA, tempDir } from './cli.js';

// Every file of these kinds must ingest through format detection, with nothing rejected.
const ZEEK = join(SHARED_DATA, 'zeek-pcap-connlog-pairs', 'baselines');
const AWS_DOCS = join(SHARED_DATA, 'cloud-flow-logs', 'aws-docs');
const AWS_REAL = join(SHARED_DATA, 'cloud-flow-logs', 'aws-real', 'opensearch-catalog-raw.log');
const present = existsSync(ZEEK) && existsSync(AWS_DOCS) && existsSync(AWS_REAL);

const zeekLogs = present ? readdirSync(ZEEK).map((d) => join(ZEEK, d, 'conn.log')) : [];
const awsDocs = present ? readdirSync(AWS_DOCS).map((f) => join(AWS_DOCS, f)) : [];

describe.skipIf(!present)(
  `ingestFile() on the shared flow data${present ? '' : ` (skipped: ${SHARED_DATA} is absent)`}`,
  () => {
    let dir: string;
    let store: Store;
    beforeAll(() => {
      dir = tempDir('ingest-data');
      store = openSqliteStore(join(dir, 'test.db'));
    });
    afterAll(() => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it.each(zeekLogs)('ingests the Zeek conn.log %s with nothing rejected', async (file) => {
      const summary = await ingestFile(store, file);
      expect(summary.format).toBe('zeek');
      expect(summary.rejected).toBe(0);
      expect(summary.flows + Object.values(summary.skipped).reduce((a, b) => a + b, 0)).toBe(
        summary.read,
      );
    });

    it.each(awsDocs)('ingests the VPC flow log %s with its header-defined layout', async (file) => {
      const summary = await ingestFile(store, file);
      expect(summary.format).toBe('vpc');
      expect(summary.rejected).toBe(0);
      expect(summary.flows).toBeGreaterThan(0);
    });

    it('ingests all 775 records of the real VPC flow log, the NODATA ones skipped with their reason', async () => {
      const summary = await ingestFile(store, AWS_REAL);
      expect(summary).toMatchObject({
        format: 'vpc',
        read: 775,
        flows: 371,
        rejected: 0,
        skipped: { NODATA: 404 },
      });
    });
  },
);
