import { MODE_STRICTNESS } from '../domain/index.js';
import type { Mode, Policy, Workload } from '../domain/index.js';

import { selectsWorkload } from './select.js';

/**
 * The mode a workload runs in: the strictest mode among the scopes that select it.
 *
 * A workload no scope selects is enforced. DESIGN.md makes default deny the rule and
 * gives no default mode, so the safe reading is that only a scope can relax
 * enforcement; write `{scope: any, mode: observe}` to start everything in observe.
 *
 * @param policy A validated policy.
 * @param workload The workload, matched by name, labels and addresses.
 * @returns `observe`, `test` or `enforce`.
 * @example
 * modeOf(policy, { name: 'db-1', addresses: [], labels: { env: 'prod' }, discovered: false }); // 'enforce'
 */
export function modeOf(policy: Policy, workload: Workload): Mode {
  const modes = policy.modes
    .filter((scope) => selectsWorkload(policy, scope.scope, workload))
    .map((scope) => scope.mode);
  if (modes.length === 0) return 'enforce';

  return modes.reduce((strictest, mode) =>
    MODE_STRICTNESS.indexOf(mode) > MODE_STRICTNESS.indexOf(strictest) ? mode : strictest,
  );
}
