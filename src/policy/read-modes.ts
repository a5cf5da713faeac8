import type { Mode, ModeScope } from '../domain/index.js';
import { MODE_STRICTNESS } from '../domain/index.js';

import { formatPath } from './issue.js';
import type { LoadContext } from './load-context.js';
import { readSelector } from './read-selector.js';
import { readWord } from './read-scalar.js';
import { asMap, asSeq, describeNode, fields, items, missing } from './yaml-source.js';
import type { At } from './yaml-source.js';

const MODE_FIELDS = ['scope', 'mode'];

/** Reads a `modes:` list of {scope, mode}. */
export function readModes(ctx: LoadContext, at: At): ModeScope[] {
  if (asSeq(at.node) === undefined) {
    const message = `Cannot read modes at ${formatPath(at.path)}: it is ${describeNode(at.node)}, not a list; write a list of {scope, mode}`;
    ctx.reporter.error('wrong_type', at, message);
    return [];
  }
  return items(at).flatMap((item) => readMode(ctx, item) ?? []);
}

function readMode(ctx: LoadContext, at: At): ModeScope | undefined {
  const where = formatPath(at.path);
  if (asMap(at.node) === undefined) {
    const message = `Cannot read mode at ${where}: it is ${describeNode(at.node)}, not a mapping; write {scope: SELECTOR, mode: ${MODE_STRICTNESS.join('|')}}`;
    ctx.reporter.error('wrong_type', at, message);
    return undefined;
  }

  const found = fields(at, MODE_FIELDS, ctx.reporter);
  const scopeAt = found.get('scope');
  const modeAt = found.get('mode');
  for (const [field, fieldAt] of [
    ['scope', scopeAt],
    ['mode', modeAt],
  ] as const) {
    if (fieldAt !== undefined) continue;
    const message = `Cannot read mode at ${where}: ${field} is missing; add ${field === 'scope' ? 'scope: SELECTOR' : `mode: ${MODE_STRICTNESS.join('|')}`}`;
    ctx.reporter.error('missing_field', missing(at, field), message);
  }

  const scope = scopeAt === undefined ? undefined : readSelector(ctx, scopeAt);
  const mode =
    modeAt === undefined
      ? undefined
      : readWord<Mode>(ctx.reporter, modeAt, MODE_STRICTNESS, 'invalid_mode');
  return scope === undefined || mode === undefined ? undefined : { scope, mode };
}
