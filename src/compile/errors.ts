/**
 * A ruleset cannot be produced from valid input, for example because the requested
 * workload is not in the plan. Callers catch it and report the message.
 */
export class CompileError extends Error {
  override readonly name = 'CompileError';
}
