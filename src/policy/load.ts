import type { Policy } from '../domain/index.js';

import { formatPath, hasErrors } from './issue.js';
import type { PolicyIssue, PolicyLoadResult } from './issue.js';
import { LoadContext } from './load-context.js';
import type { DefinitionKind } from './load-context.js';
import { readModes } from './read-modes.js';
import { resolveNetworks } from './read-networks.js';
import type { RuleSources } from './read-rules.js';
import { readTiers } from './read-rules.js';
import { checkExceptions, resolveSegments } from './read-segments.js';
import { resolveServices } from './read-services.js';
import { readTests } from './read-tests.js';
import { asMap, describeNode, entries, fields, parseSource, scalarValue } from './yaml-source.js';
import type { At } from './yaml-source.js';

/** One policy file's text and the name to show in places. */
export interface PolicyDocument {
  readonly text: string;
  readonly file: string;
}

const TOP_FIELDS = [
  'version',
  'services',
  'networks',
  'segments',
  'modes',
  'tiers',
  'rules',
  'tests',
];
const SECTIONS: readonly [string, DefinitionKind][] = [
  ['services', 'service'],
  ['networks', 'network'],
  ['segments', 'segment'],
];

/** The list sections of one file, kept until every file's names are known. */
interface Lists extends RuleSources {
  readonly modes?: At;
  readonly tests?: At;
}

/**
 * Loads and validates one policy file.
 *
 * Every problem is reported, each with a stable code, the path to the field, a message
 * that names the value and the fix, and a file position. YAML syntax errors are issues too.
 *
 * @param text The file's text.
 * @param file The name to put in places, as the user would recognise it.
 * @returns The policy when no issue is an error, and every issue found.
 * @example
 * const { policy, issues } = loadPolicy('version: 1\nrules: []\n', 'policy.yaml');
 */
export function loadPolicy(text: string, file: string): PolicyLoadResult {
  return loadPolicyDocuments([{ text, file }]);
}

/**
 * Loads several policy files as one policy (a directory of files). Services, networks and
 * segments are merged and a name defined twice is an error; rule ids are unique across
 * files; tiers are taken in file order, and a tier named in several files is one tier
 * whose rules follow in file order. A top-level `rules:` list belongs to tier `default`.
 *
 * @param docs The files in the order their tiers apply.
 * @returns The policy when no issue is an error, and every issue found.
 */
export function loadPolicyDocuments(docs: readonly PolicyDocument[]): PolicyLoadResult {
  const ctx = new LoadContext();
  const lists = docs.flatMap((doc) => readDocument(ctx, doc) ?? []);

  resolveServices(ctx);
  resolveNetworks(ctx);
  const exceptionRefs = resolveSegments(ctx);
  const { tiers, ruleIds } = readTiers(ctx, lists);
  checkExceptions(ctx, exceptionRefs, ruleIds);
  const modes = lists.flatMap((list) =>
    list.modes === undefined ? [] : readModes(ctx, list.modes),
  );
  const tests = lists.flatMap((list) =>
    list.tests === undefined ? [] : readTests(ctx, list.tests),
  );

  const issues = sortIssues(ctx.reporter.issues, docs);
  if (hasErrors(issues)) return { policy: undefined, issues };

  const policy: Policy = {
    version: 1,
    services: ctx.services,
    networks: ctx.networks,
    segments: ctx.segments,
    modes,
    tiers,
    tests,
  };
  return { policy, issues };
}

function readDocument(ctx: LoadContext, document: PolicyDocument): Lists | undefined {
  const src = parseSource(document.text, document.file, ctx.reporter);
  if (src === undefined) return undefined;

  const root: At = { src, path: [], node: src.doc.contents };
  if (asMap(root.node) === undefined) {
    const problem =
      root.node === null ? 'it is empty' : `it holds ${describeNode(root.node)}, not a mapping`;
    const message = `Cannot load policy file ${document.file}: ${problem}; start it with version: 1`;
    ctx.reporter.error(root.node === null ? 'missing_field' : 'wrong_type', root, message);
    return undefined;
  }

  const found = fields(root, TOP_FIELDS, ctx.reporter);
  checkVersion(ctx, root, found.get('version'));
  for (const [section, kind] of SECTIONS) {
    const at = found.get(section);
    if (at !== undefined) defineAll(ctx, at, kind);
  }

  const lists: { -readonly [K in keyof Lists]: Lists[K] } = {};
  for (const key of ['modes', 'tiers', 'rules', 'tests'] as const) {
    const at = found.get(key);
    if (at !== undefined) lists[key] = at;
  }
  return lists;
}

function checkVersion(ctx: LoadContext, root: At, at: At | undefined): void {
  if (at === undefined) {
    const message = `Cannot load policy file ${root.src.file}: version is missing; add version: 1 at the top`;
    ctx.reporter.error('missing_field', { ...root, path: ['version'] }, message);
    return;
  }
  if (scalarValue(at.node) === 1) return;

  const message = `Cannot load policy version ${describeNode(at.node)} at ${formatPath(at.path)}: this Bulkhead reads version 1 only; write version: 1`;
  ctx.reporter.error('unsupported_version', at, message);
}

function defineAll(ctx: LoadContext, at: At, kind: DefinitionKind): void {
  if (asMap(at.node) === undefined) {
    const message = `Cannot read ${formatPath(at.path)}: it is ${describeNode(at.node)}, not a mapping; write NAME: DEFINITION entries`;
    ctx.reporter.error('wrong_type', at, message);
    return;
  }
  for (const entry of entries(at))
    ctx.define(kind, { name: entry.name, at: entry.at, keyAt: entry.keyAt });
}

/** Issues in file order, then by position, so people read them top to bottom. */
function sortIssues(
  issues: readonly PolicyIssue[],
  docs: readonly PolicyDocument[],
): PolicyIssue[] {
  const order = new Map<string, number>();
  docs.forEach((doc, index) => {
    if (!order.has(doc.file)) order.set(doc.file, index);
  });
  const rank = (issue: PolicyIssue): number => order.get(issue.place.file) ?? docs.length;

  return [...issues].sort(
    (a, b) => rank(a) - rank(b) || a.place.line - b.place.line || a.place.column - b.place.column,
  );
}
