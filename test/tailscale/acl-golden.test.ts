/**
 * Checks Bulkhead against Tailscale's own control plane: for every policy in
 * ../shared/data/tailscale-acl-golden/acl_results, import it, compile each node's packet
 * filter from the Bulkhead policy and compare it with the filter Tailscale produced for
 * the same policy and nodes. Policies Tailscale rejected must be rejected too.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { compileTailscaleFilters, importTailscale } from '../../src/policy/tailscale/index.js';
import type { TailscaleNode } from '../../src/policy/tailscale/index.js';

import { firstDifference } from './filter-cells.js';
import type { FilterRuleLike } from './filter-cells.js';

const FOLDER = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../shared/data/tailscale-acl-golden/acl_results',
);

/**
 * The captures list each node's tags and addresses but not the owner of untagged nodes.
 * The owners follow from the cases that name a single user (ACL-AU01 kristoffer@dalby.cc
 * reaches from user-kris, ACL-AU02 monitorpasskeykradalby@passkey from user-mon, ACL-E07
 * kratail2tid@passkey from user1).
 */
const OWNERS: Readonly<Record<string, string>> = {
  user1: 'kratail2tid@passkey',
  'user-kris': 'kristoffer@dalby.cc',
  'user-mon': 'monitorpasskeykradalby@passkey',
};

/**
 * Accepted cases known to differ, with the reason; a case listed here that starts to pass,
 * or one not listed that fails, fails the test so both regressions and fixes show.
 */
const KNOWN_FAILURES: Readonly<Record<string, string>> = {};

interface CaptureNode {
  readonly hostname: string;
  readonly tags: readonly string[];
  readonly ipv4: string;
  readonly ipv6: string;
  readonly approved_routes?: readonly string[];
}

interface GoldenCase {
  readonly test_id: string;
  readonly error?: boolean;
  readonly input: {
    readonly full_policy: unknown;
    readonly api_response_body?: { readonly message?: string };
  };
  readonly topology?: { readonly nodes: Readonly<Record<string, CaptureNode>> };
  readonly captures?: Readonly<
    Record<string, { readonly packet_filter_rules: readonly FilterRuleLike[] | null } | null>
  >;
}

function readCase(file: string): GoldenCase {
  const text = readFileSync(join(FOLDER, file), 'utf8');
  const json = text
    .split('\n')
    .filter((row) => !row.trimStart().startsWith('//'))
    .join('\n');
  return JSON.parse(json) as GoldenCase;
}

function nodesOf(golden: GoldenCase): TailscaleNode[] {
  return Object.entries(golden.topology?.nodes ?? {}).map(([name, node]) => {
    const owner = OWNERS[name];
    return {
      name,
      tags: [...node.tags],
      ipv4: node.ipv4,
      ipv6: node.ipv6,
      routes: [...(node.approved_routes ?? [])],
      ...(node.tags.length === 0 && owner !== undefined ? { user: owner } : {}),
    };
  });
}

/** The first difference for one accepted case, or undefined when every node matches. */
function checkAccepted(golden: GoldenCase): string | undefined {
  const policyText = JSON.stringify(golden.input.full_policy, null, 2);
  const result = importTailscale(policyText, `${golden.test_id}.hujson`, nodesOf(golden));
  if (!result.ok) return `import failed: ${result.errors.map((e) => e.message).join('; ')}`;
  for (const [node, capture] of Object.entries(golden.captures ?? {}).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    const want = capture?.packet_filter_rules ?? [];
    const got = compileTailscaleFilters(result, node);
    const difference = firstDifference(want, got);
    if (difference !== undefined) return `node ${node}: ${difference}`;
  }
  return undefined;
}

const present = existsSync(FOLDER);
const files = present
  ? readdirSync(FOLDER)
      .filter((f) => f.endsWith('.hujson'))
      .sort()
  : [];

describe.skipIf(!present)(
  `Tailscale ACL golden cases${present ? '' : ` (skipped: ${FOLDER} is absent)`}`,
  () => {
    it('compiles the packet filters Tailscale produced for at least 95 % of accepted policies', () => {
      const failing: { id: string; difference: string }[] = [];
      let accepted = 0;
      for (const file of files) {
        const golden = readCase(file);
        if (golden.error === true) continue;
        accepted += 1;
        const difference = checkAccepted(golden);
        if (difference !== undefined) failing.push({ id: golden.test_id, difference });
      }
      const passed = accepted - failing.length;
      console.log(
        `Tailscale ACL golden: ${passed}/${accepted} accepted cases match (${((100 * passed) / accepted).toFixed(1)} %)`,
      );
      for (const { id, difference } of failing) console.log(`  ${id}: ${difference}`);

      expect(passed / accepted).toBeGreaterThanOrEqual(0.95);
      expect(
        Object.fromEntries(
          failing.map(({ id }) => [id, KNOWN_FAILURES[id] ?? 'not a known failure']),
        ),
      ).toEqual(
        Object.fromEntries(
          failing
            .filter(({ id }) => id in KNOWN_FAILURES)
            .map(({ id }) => [id, KNOWN_FAILURES[id]]),
        ),
      );
      expect(Object.keys(KNOWN_FAILURES).filter((id) => !failing.some((f) => f.id === id))).toEqual(
        [],
      );
    });

    it('rejects every policy Tailscale rejected, with a message', () => {
      const notRejected: string[] = [];
      let rejected = 0;
      for (const file of files) {
        const golden = readCase(file);
        if (golden.error !== true) continue;
        rejected += 1;
        const result = importTailscale(
          JSON.stringify(golden.input.full_policy, null, 2),
          `${golden.test_id}.hujson`,
        );
        if (result.ok) {
          notRejected.push(
            `${golden.test_id} (Tailscale: ${golden.input.api_response_body?.message ?? '?'})`,
          );
          continue;
        }
        expect(result.errors[0]?.message).toMatch(/^Cannot /);
        expect(result.errors[0]?.line).toBeGreaterThan(0);
      }
      console.log(
        `Tailscale ACL golden: ${rejected - notRejected.length}/${rejected} rejected cases rejected`,
      );
      for (const id of notRejected) console.log(`  not rejected: ${id}`);
      expect(notRejected).toEqual([]);
    });
  },
);
