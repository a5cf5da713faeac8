import type { Decision, RuleAction } from '../../domain/index.js';

import type { CompiledTerm } from './compiled-selector.js';
import type { CompiledServices } from './compiled-services.js';

/** A rule with its sides and services compiled, numbered in evaluation order. */
export interface CompiledRule {
  readonly index: number;
  readonly tier: number;
  readonly action: RuleAction;
  readonly from: readonly CompiledTerm[];
  readonly to: readonly CompiledTerm[];
  readonly services: CompiledServices;
  /** The decision this rule gives when it decides; null for `pass`. */
  readonly decision: Decision | null;
}
