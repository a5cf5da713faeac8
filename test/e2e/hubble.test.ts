import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { evaluate, loadPolicy } from '../../src/policy/index.js';
import type { Policy } from '../../src/domain/index.js';
import { BIN, HAS_BUILD, SHARED_DATA, bulkhead, tempDir } from './cli.js';

// Bookinfo on Cilium, as Hubble saw it: the recommendation by app must hold the app
// dependencies the flows show, DNS, and nothing between apps that never talked.
const HUBBLE = join(SHARED_DATA, 'hubble-flows-bookinfo', 'hubble');
const skip = !HAS_BUILD || !existsSync(HUBBLE);
const why = !HAS_BUILD ? `needs the build (${BIN})` : `needs ${HUBBLE} (../shared/data is absent)`;
const APPS = ['productpage', 'details', 'reviews', 'ratings'];

describe.skipIf(skip)(
  `recommend --by app on the Bookinfo Hubble flows${skip ? ` (skipped: ${why})` : ''}`,
  () => {
    let dir: string;
    let policy: Policy;
    beforeAll(() => {
      dir = tempDir('hubble');
      expect(bulkhead(undefined, 'init', dir).code).toBe(0);
      const files = readdirSync(HUBBLE).map((f) => join(HUBBLE, f));
      expect(bulkhead(dir, 'ingest', ...files).code).toBe(0);
      const file = join(dir, 'policy.yaml');
      expect(bulkhead(dir, 'recommend', '--by', 'app', '--out', file).code).toBe(0);
      const loaded = loadPolicy(readFileSync(file, 'utf8'), file);
      expect(loaded.issues).toEqual([]);
      policy = loaded.policy!;
    });
    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('allows exactly the Bookinfo calls the flows show on tcp/9080, and no other pair of apps', () => {
      const allowed: string[] = [];
      for (const from of APPS) {
        for (const to of APPS) {
          const decision = evaluate(policy, {
            from: { labels: { app: from } },
            to: { labels: { app: to } },
            protocol: 6,
            port: 9080,
          });
          if (decision.verdict === 'allow') allowed.push(`${from} → ${to}`);
        }
      }
      // ratings → productpage is the capture's own test client, run from the ratings pods.
      expect(allowed.sort()).toEqual([
        'productpage → details',
        'productpage → reviews',
        'ratings → productpage',
        'reviews → ratings',
      ]);
    });

    it('allows DNS from the apps to the cluster resolvers as a shared infrastructure rule', () => {
      const dns = policy.tiers.flatMap((t) => t.rules).find((r) => r.id.includes('dns'));
      expect(dns).toBeDefined();
      const coredns = {
        name: 'kube-system/coredns-558bd4d5db-9grjv',
        labels: { 'k8s-app': 'kube-dns', namespace: 'kube-system' },
      };
      expect(
        evaluate(policy, {
          from: { labels: { app: 'productpage' } },
          to: coredns,
          protocol: 17,
          port: 53,
        }),
      ).toMatchObject({ verdict: 'allow', rule: dns!.id });
      expect(
        evaluate(policy, {
          from: { labels: { app: 'details' } },
          to: coredns,
          protocol: 17,
          port: 53,
        }).verdict,
      ).toBe('deny');
    });

    it('replays every stored flow through the recommendation without a denial', () => {
      const sim = JSON.parse(
        bulkhead(dir, 'simulate', join(dir, 'policy.yaml'), '--output', 'json').stdout,
      ) as { denied: unknown[] };
      expect(sim.denied).toEqual([]);
    });
  },
);
