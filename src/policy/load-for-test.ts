import type { Address, Policy } from '../domain/index.js';

import { formatPath } from './issue.js';
import { loadPolicy } from './load.js';

/** Loads a policy written inline in a test; throws with every issue when it does not load. */
export function loadPolicyForTest(text: string): Policy {
  const { policy, issues } = loadPolicy(text, 'test.yaml');
  if (policy !== undefined) return policy;
  const lines = issues.map(
    (issue) =>
      `${issue.place.line}:${issue.place.column} ${formatPath(issue.path)} ${issue.message}`,
  );
  throw new Error(`Cannot load test policy:\n${lines.join('\n')}`);
}

/** An address typed in a test, unchecked. */
export function addressForTest(text: string): Address {
  return text as Address;
}
