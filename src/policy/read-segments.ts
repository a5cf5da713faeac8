import type { Selector } from '../domain/index.js';

import { formatPath } from './issue.js';
import type { LoadContext } from './load-context.js';
import { readSelector } from './read-selector.js';
import { readBoolean } from './read-scalar.js';
import { asMap, asSeq, describeNode, fields, items, missing, scalarText } from './yaml-source.js';
import type { At } from './yaml-source.js';

const SEGMENT_FIELDS = ['select', 'isolated', 'exceptions'];

/** A rule id an isolated segment lists as an exception, kept to check once rules are read. */
export interface ExceptionRef {
  readonly segment: string;
  readonly id: string;
  readonly at: At;
}

/**
 * Reads every segment into `ctx.segments` and reports cycles among segments that name
 * segments. Returns the exception references for the caller to check against rule ids.
 */
export function resolveSegments(ctx: LoadContext): ExceptionRef[] {
  const refs: ExceptionRef[] = [];
  for (const [name, { at }] of ctx.definitions.segment) {
    if (asMap(at.node) === undefined) {
      const message = `Cannot read segment "${name}" at ${formatPath(at.path)}: it is ${describeNode(at.node)}, not a mapping; write {select: {app: payments}}`;
      ctx.reporter.error('wrong_type', at, message);
      continue;
    }

    const found = fields(at, SEGMENT_FIELDS, ctx.reporter);
    const selectAt = found.get('select');
    if (selectAt === undefined) {
      const message = `Cannot read segment "${name}" at ${formatPath(at.path)}: select is missing; add select: {LABEL: VALUE}`;
      ctx.reporter.error('missing_field', missing(at, 'select'), message);
    }
    const select = selectAt === undefined ? undefined : readSelector(ctx, selectAt);
    const isolatedAt = found.get('isolated');
    const isolated = isolatedAt === undefined ? false : readBoolean(ctx.reporter, isolatedAt);
    const exceptionsAt = found.get('exceptions');
    const exceptions = exceptionsAt === undefined ? [] : readExceptions(ctx, name, exceptionsAt);
    if (exceptionsAt !== undefined && isolated === false && exceptions.length > 0) {
      const message = `Cannot apply exceptions at ${formatPath(exceptionsAt.path)}: segment "${name}" is not isolated, so exceptions change nothing; add isolated: true or remove them`;
      ctx.reporter.warn('exceptions_without_isolation', exceptionsAt, message);
    }

    refs.push(...exceptions);
    if (select === undefined || isolated === undefined) continue;
    ctx.segments.set(name, { name, select, isolated, exceptions: exceptions.map((ref) => ref.id) });
  }

  reportCycles(ctx);
  return refs;
}

function readExceptions(ctx: LoadContext, segment: string, at: At): ExceptionRef[] {
  if (asSeq(at.node) === undefined) {
    const message = `Cannot read exceptions at ${formatPath(at.path)}: it is ${describeNode(at.node)}, not a list; write [RULE-ID, …]`;
    ctx.reporter.error('wrong_type', at, message);
    return [];
  }

  const out: ExceptionRef[] = [];
  for (const item of items(at)) {
    const id = scalarText(item.node);
    if (id === undefined) {
      const message = `Cannot read exception ${describeNode(item.node)} at ${formatPath(item.path)}: write a rule id`;
      ctx.reporter.error('wrong_type', item, message);
      continue;
    }
    out.push({ segment, id, at: item });
  }
  return out;
}

/** Reports segment exceptions that name no rule. */
export function checkExceptions(
  ctx: LoadContext,
  refs: readonly ExceptionRef[],
  ruleIds: ReadonlySet<string>,
): void {
  for (const ref of refs) {
    if (ruleIds.has(ref.id)) continue;
    const message = `Cannot find rule "${ref.id}" at ${formatPath(ref.at.path)}: segment "${ref.segment}" lists it as an exception, but no rule has that id; fix the id or remove it`;
    ctx.reporter.error('unknown_rule', ref.at, message);
  }
}

function reportCycles(ctx: LoadContext): void {
  const reported = new Set<string>();
  const visit = (name: string, stack: string[]): void => {
    const segment = ctx.segments.get(name);
    if (segment === undefined) return;
    if (stack.includes(name)) {
      const loop = [...stack.slice(stack.indexOf(name)), name];
      if (loop.some((member) => reported.has(member))) return;
      loop.forEach((member) => reported.add(member));
      const at = ctx.definitions.segment.get(name)!.keyAt;
      const message = `Cannot resolve segment "${name}" at ${formatPath(at.path)}: segments ${loop.join(' → ')} select each other; select by labels in one of them`;
      ctx.reporter.error('segment_cycle', at, message);
      return;
    }
    for (const next of segmentRefs(segment.select)) visit(next, [...stack, name]);
  };
  for (const name of ctx.segments.keys()) visit(name, []);

  // A segment in a cycle cannot be evaluated; dropping it keeps the policy unset.
  for (const name of reported) ctx.segments.delete(name);
}

function segmentRefs(select: Selector): string[] {
  return select.flatMap((term) => (term.kind === 'segment' ? [term.name] : []));
}
