import { MODE_STRICTNESS } from '../domain/index.js';
import type { Mode, Policy, Workload } from '../domain/index.js';
import { selectsWorkload } from '../policy/index.js';

/**
 * The mode of one workload: the strictest mode of the policy's scopes that select it,
 * `enforce` when no scope does (an unscoped workload is not left unprotected).
 *
 * Written here because src/policy does not export `modeOf` yet; replace it with that one
 * when it lands so the two cannot drift.
 */
export function modeOfWorkload(policy: Policy, workload: Workload): Mode {
  let strictest: Mode | undefined;
  for (const scope of policy.modes) {
    if (!selectsWorkload(policy, scope.scope, workload)) continue;
    if (strictest === undefined || rank(scope.mode) > rank(strictest)) strictest = scope.mode;
  }
  return strictest ?? 'enforce';
}

function rank(mode: Mode): number {
  return MODE_STRICTNESS.indexOf(mode);
}
