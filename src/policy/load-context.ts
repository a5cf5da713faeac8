import { PROTOCOL_NUMBERS } from '../domain/index.js';
import type { Network, Segment, ServiceEntry } from '../domain/index.js';

import { formatPath } from './issue.js';
import { NAME_RULE, isPolicyName } from './name.js';
import { Reporter, placeOf } from './yaml-source.js';
import type { At } from './yaml-source.js';

/** What a policy file defines by name. */
export type DefinitionKind = 'service' | 'network' | 'segment';

/** A named definition as written: its value node and its key node. */
export interface Definition {
  readonly name: string;
  readonly at: At;
  readonly keyAt: At;
}

/**
 * The state of one load across all its files: definitions seen so far, what has been
 * resolved from them, and the issues found.
 */
export class LoadContext {
  readonly reporter = new Reporter();
  readonly definitions: Record<DefinitionKind, Map<string, Definition>> = {
    service: new Map(),
    network: new Map(),
    segment: new Map(),
  };
  readonly services = new Map<string, readonly ServiceEntry[]>();
  readonly networks = new Map<string, Network>();
  readonly segments = new Map<string, Segment>();

  /** Records a definition; bad names and names defined twice are reported. */
  define(kind: DefinitionKind, definition: Definition): void {
    const { name, keyAt } = definition;
    const where = formatPath(keyAt.path);
    const known = this.definitions[kind];
    const earlier = known.get(name);

    if (!isPolicyName(name)) {
      this.reporter.error(
        'invalid_name',
        keyAt,
        `Cannot define ${kind} "${name}" at ${where}: ${NAME_RULE}`,
      );
      return;
    }
    if (kind === 'service' && (name === 'any' || name in PROTOCOL_NUMBERS)) {
      const problem = `"${name}" is a protocol keyword, so the name would be read as a spec; choose another name`;
      this.reporter.error(
        'reserved_name',
        keyAt,
        `Cannot define service "${name}" at ${where}: ${problem}`,
      );
      return;
    }
    if (earlier !== undefined) {
      const first = placeOf(earlier.keyAt);
      const problem = `it is already defined at ${first.file}:${first.line}:${first.column}; keep one definition or rename one`;
      this.reporter.error(
        'duplicate_name',
        keyAt,
        `Cannot define ${kind} "${name}" at ${where}: ${problem}`,
      );
      return;
    }
    known.set(name, definition);
  }

  /** The defined names of a kind, including definitions that failed to validate. */
  names(kind: DefinitionKind): ReadonlySet<string> {
    return new Set(this.definitions[kind].keys());
  }
}
