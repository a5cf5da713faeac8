import { isLabelKey, isLabelValue } from '../domain/index.js';
import type { LabelMatch, Selector, SelectorTerm } from '../domain/index.js';

import { formatPath } from './issue.js';
import type { LoadContext } from './load-context.js';
import { problemMessage } from './problem.js';
import {
  SELECTOR_FORMS,
  labelKeyProblem,
  labelValueProblem,
  readSelectorString,
} from './selector-text.js';
import {
  asMap,
  asSeq,
  describeNode,
  entries,
  isNothing,
  items,
  scalarText,
} from './yaml-source.js';
import type { At } from './yaml-source.js';

/**
 * Reads a selector: `any`, a label map, `workload:`/`network:`/`segment:` names, a CIDR,
 * or a list of those (OR). Returns undefined when anything in it is wrong.
 */
export function readSelector(ctx: LoadContext, at: At): Selector | undefined {
  const seq = asSeq(at.node);
  if (seq === undefined) {
    const term = readTerm(ctx, at);
    return term === undefined ? undefined : [term];
  }
  if (seq.items.length === 0) {
    const message = `Cannot read selector at ${formatPath(at.path)}: the list is empty, so it would select nothing; list at least one selector or write any`;
    ctx.reporter.error('empty_selector', at, message);
    return undefined;
  }

  const out: SelectorTerm[] = [];
  let ok = true;
  for (const item of items(at)) {
    if (asSeq(item.node) !== undefined) {
      reportNestedList(ctx, item);
      ok = false;
      continue;
    }
    const term = readTerm(ctx, item);
    if (term === undefined) ok = false;
    else out.push(term);
  }
  return ok ? out : undefined;
}

function reportNestedList(ctx: LoadContext, at: At): void {
  const message = `Cannot read selector at ${formatPath(at.path)}: a list inside a selector list is not allowed; put its items in the outer list`;
  ctx.reporter.error('invalid_selector', at, message);
}

function readTerm(ctx: LoadContext, at: At): SelectorTerm | undefined {
  if (asMap(at.node) !== undefined) return readLabelTerm(ctx, at);

  const text = scalarText(at.node);
  const where = formatPath(at.path);
  if (text === undefined || isNothing(at.node)) {
    const message = `Cannot read selector ${describeNode(at.node)} at ${where}: ${SELECTOR_FORMS}`;
    ctx.reporter.error('wrong_type', at, message);
    return undefined;
  }

  const names = { networks: ctx.names('network'), segments: ctx.names('segment') };
  const term = readSelectorString(text, names);
  if (!('code' in term)) return term;
  ctx.reporter.error(term.code, at, problemMessage(term, ` at ${where}`));
  return undefined;
}

function readLabelTerm(ctx: LoadContext, at: At): SelectorTerm | undefined {
  const where = formatPath(at.path);
  const pairs = entries(at);
  if (pairs.length === 0) {
    const message = `Cannot read selector at ${where}: the label map is empty; write any to select everything, or name at least one label`;
    ctx.reporter.error('empty_selector', at, message);
    return undefined;
  }

  const notPair = pairs.find((pair) => pair.name === 'not');
  const match = readLabelMatch(
    ctx,
    pairs.filter((pair) => pair.name !== 'not'),
  );
  const not = notPair === undefined ? {} : readNot(ctx, notPair.at);
  if (match === undefined || not === undefined) return undefined;
  return notPair === undefined ? { kind: 'labels', match } : { kind: 'labels', match, not };
}

function readNot(ctx: LoadContext, at: At): LabelMatch | undefined {
  const where = formatPath(at.path);
  const pairs = entries(at);
  if (asMap(at.node) === undefined || pairs.length === 0) {
    const message = `Cannot read selector at ${where}: not takes a non-empty label map; write not: {env: dev}`;
    ctx.reporter.error('invalid_selector', at, message);
    return undefined;
  }
  const nested = pairs.find((pair) => pair.name === 'not');
  if (nested !== undefined) {
    const message = `Cannot read selector at ${formatPath(nested.keyAt.path)}: not inside not is not allowed; write the labels to require in the outer map`;
    ctx.reporter.error('invalid_selector', nested.keyAt, message);
    return undefined;
  }
  return readLabelMatch(ctx, pairs);
}

function readLabelMatch(
  ctx: LoadContext,
  pairs: ReturnType<typeof entries>,
): LabelMatch | undefined {
  const match: Record<string, readonly string[]> = {};
  let ok = true;
  for (const pair of pairs) {
    if (!isLabelKey(pair.name)) {
      const message = `Cannot read selector at ${formatPath(pair.keyAt.path)}: ${labelKeyProblem(pair.name)}`;
      ctx.reporter.error('invalid_label_key', pair.keyAt, message);
      ok = false;
      continue;
    }
    const values = readLabelValues(ctx, pair.at);
    if (values === undefined) ok = false;
    else match[pair.name] = values;
  }
  return ok ? match : undefined;
}

function readLabelValues(ctx: LoadContext, at: At): readonly string[] | undefined {
  const list = asSeq(at.node) === undefined ? [at] : items(at);
  if (list.length === 0) {
    const message = `Cannot read label values at ${formatPath(at.path)}: the list is empty, so it would select nothing; list at least one value`;
    ctx.reporter.error('empty_selector', at, message);
    return undefined;
  }

  const out: string[] = [];
  let ok = true;
  for (const item of list) {
    const value = scalarText(item.node);
    const where = formatPath(item.path);
    if (value === undefined || isNothing(item.node)) {
      ctx.reporter.error(
        'wrong_type',
        item,
        `Cannot read label value ${describeNode(item.node)} at ${where}: write a value or a list of values, such as [web, api]`,
      );
      ok = false;
    } else if (!isLabelValue(value)) {
      ctx.reporter.error(
        'invalid_label_value',
        item,
        `Cannot read label value "${value}" at ${where}: ${labelValueProblem(value)}`,
      );
      ok = false;
    } else {
      out.push(value);
    }
  }
  return ok ? out : undefined;
}
