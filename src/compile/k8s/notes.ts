/** Something a target cannot express exactly, naming the rule (null: the whole ruleset). */
export interface TargetNote {
  readonly rule: string | null;
  readonly message: string;
}

/** What a group-based renderer returns: the manifests and what it could not express. */
export interface TargetOutput {
  /** The manifests as text (multi-document YAML or JSON). */
  readonly text: string;
  /** The output was emitted, but differs from the policy as each warning says. */
  readonly warnings: readonly TargetNote[];
}
