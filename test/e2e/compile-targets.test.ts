import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BIN, HAS_BUILD, ROOT, bulkhead, tempDir } from './cli.js';

// Workloads discovered from flows are named after their addresses; every target must
// still emit files its own tools accept (nft identifiers, for one, start with a letter).
const SAMPLE = join(ROOT, 'samples', 'mb2');
const has = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const isRoot = process.getuid?.() === 0;

describe.skipIf(!HAS_BUILD)(
  `compile --target on the bundled sample${HAS_BUILD ? '' : ` (skipped: needs the build ${BIN})`}`,
  () => {
    let dir: string;
    beforeAll(() => {
      dir = tempDir('targets');
      expect(bulkhead(undefined, 'init', dir, '--internal', '141.81.0.0/24').code).toBe(0);
      expect(bulkhead(dir, 'ingest', join(SAMPLE, 'mb2.pcap')).code).toBe(0);
      expect(bulkhead(dir, 'label', 'apply', join(SAMPLE, 'labels.yaml')).code).toBe(0);
      expect(
        bulkhead(dir, 'recommend', '--by', 'role', '--out', join(dir, 'policy.yaml')).code,
      ).toBe(0);
    });
    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it.each([
      'nftables',
      'iptables',
      'windows',
      'gateway',
      'libvirt',
      'k8s',
      'cilium',
      'calico',
      'aws',
    ])('compiles for %s and writes a manifest with a hash per file', (target) => {
      const out = join(dir, `out-${target}`);
      const run = bulkhead(
        dir,
        'compile',
        join(dir, 'policy.yaml'),
        '--target',
        target,
        '--out',
        out,
        '--output',
        'json',
      );
      expect(run.code).toBe(0);
      const result = JSON.parse(run.stdout) as { compiled: { file: string; sha256: string }[] };
      expect(result.compiled.length).toBeGreaterThan(0);
      expect(readdirSync(out).sort()).toEqual(
        [...result.compiled.map((c) => c.file), 'manifest.json'].sort(),
      );
      for (const c of result.compiled) expect(c.sha256).toMatch(/^[0-9a-f]{64}$/);
    });

    it.skipIf(!isRoot || !has('nft') || !has('unshare'))(
      'writes nftables host and gateway rulesets that nft -c accepts (needs root, nft and unshare)',
      () => {
        for (const target of ['nftables', 'gateway']) {
          const out = join(dir, `out-${target}`);
          for (const file of readdirSync(out).filter((f) => f.endsWith('.nft'))) {
            // A private network namespace: the check never touches the host's ruleset.
            const check = spawnSync('unshare', ['-n', 'nft', '-c', '-f', join(out, file)], {
              encoding: 'utf8',
            });
            expect(check.stderr, `${target}/${file}`).toBe('');
            expect(check.status).toBe(0);
          }
        }
      },
    );

    it.skipIf(!has('virt-xml-validate'))(
      'writes libvirt filters that virt-xml-validate accepts (needs libvirt-clients)',
      () => {
        const out = join(dir, 'out-libvirt');
        for (const file of readdirSync(out)
          .filter((f) => f.endsWith('.xml'))
          .slice(0, 5)) {
          const check = spawnSync('virt-xml-validate', [join(out, file), 'nwfilter'], {
            encoding: 'utf8',
          });
          expect(check.status, check.stderr).toBe(0);
        }
      },
    );
  },
);
