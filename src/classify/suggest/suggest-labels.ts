import type { Workload } from '../../domain/index.js';
import type { MapEdge } from '../../map/index.js';
import { groupByBehaviour } from './behaviour-groups.js';
import type { BehaviourGroup } from './behaviour-groups.js';
import { suggestionId } from './suggestion-id.js';

/** Options of `suggestLabels`. */
export interface SuggestOptions {
  /** Label keys to suggest values for (default `['role']`; `app` is the other usual one). */
  readonly keys?: readonly string[];
  /** Signature groups smaller than this are merged into the most similar larger one (3). */
  readonly minGroup?: number;
  /** Rounds of label propagation at most (5). */
  readonly rounds?: number;
}

/** A proposed label for an unlabelled workload, with the evidence behind it. */
export interface LabelSuggestion {
  /** Stable across runs on the same input: `sg-` and 8 hex digits of key, value and workload. */
  readonly id: string;
  readonly workload: string;
  readonly key: string;
  readonly value: string;
  /** `labelled-peers`: the value most labelled members of its group carry; `new-group`: named after its services. */
  readonly basis: 'labelled-peers' | 'new-group';
  /** Share of the group's labelled members carrying the value (1 for a new group). */
  readonly agreement: number;
  /** The workloads that behave the same way, sorted. */
  readonly group: readonly string[];
  /** For people: "same peers and services as web-1…web-9 (9 of 9 labelled role=web)". */
  readonly evidence: string;
}

/**
 * Groups workloads that talk to the same kinds of peers on the same services, and
 * proposes a label value for each unlabelled member of a group. Deterministic: the same
 * workloads and edges give the same suggestions, ids included.
 *
 * @param workloads Every workload; labelled ones name the groups they fall in.
 * @param edges Workload-level edges (`buildMap(...).edges` or `learnEdges`).
 * @param options Keys to suggest, grouping thresholds.
 * @returns Suggestions sorted by workload, then key.
 */
export function suggestLabels(
  workloads: readonly Workload[],
  edges: readonly MapEdge[],
  options: SuggestOptions = {},
): LabelSuggestion[] {
  const keys = options.keys ?? ['role'];
  const byName = new Map(workloads.map((w) => [w.name, w]));
  const out: LabelSuggestion[] = [];
  for (const key of keys) {
    const groups = groupByBehaviour(workloads, edges, {
      key,
      minGroup: options.minGroup ?? 3,
      rounds: options.rounds ?? 5,
    });
    for (const group of groups) out.push(...suggestForGroup(group, key, byName));
  }
  return out.sort((a, b) => a.workload.localeCompare(b.workload) || a.key.localeCompare(b.key));
}

function suggestForGroup(
  group: BehaviourGroup,
  key: string,
  byName: ReadonlyMap<string, Workload>,
): LabelSuggestion[] {
  const unlabelled = group.members.filter((m) => byName.get(m)?.labels[key] === undefined);
  if (unlabelled.length === 0) return [];

  const values = new Map<string, string[]>();
  for (const m of group.members) {
    const value = byName.get(m)?.labels[key];
    if (value !== undefined) {
      const list = values.get(value);
      if (list) list.push(m);
      else values.set(value, [m]);
    }
  }
  const labelled = [...values.values()].reduce((n, list) => n + list.length, 0);
  const best = [...values].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))[0];

  const [value, basis, agreement, evidence] =
    best && best[1].length * 2 > labelled
      ? ([
          best[0],
          'labelled-peers',
          best[1].length / labelled,
          `same peers and services as ${span(best[1])} (${best[1].length} of ${labelled} labelled ${key}=${best[0]})`,
        ] as const)
      : ([
          group.name,
          'new-group',
          1,
          `no labelled workload behaves the same way; ${group.members.length} workloads share ${group.summary}`,
        ] as const);
  if (!/^[A-Za-z0-9][A-Za-z0-9_./:-]{0,127}$/.test(value)) return [];

  return unlabelled.map((workload) => ({
    id: suggestionId(workload, key, value),
    workload,
    key,
    value,
    basis,
    agreement,
    group: group.members,
    evidence,
  }));
}

/** `web-1…web-9` for a sorted list, `a, b` for two or fewer. */
function span(names: readonly string[]): string {
  const sorted = [...names].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (sorted.length <= 2) return sorted.join(', ');
  return `${sorted[0]}…${sorted[sorted.length - 1]}`;
}
