import type { PolicyTest, Verdict } from '../domain/index.js';

import { formatPath } from './issue.js';
import type { LoadContext } from './load-context.js';
import { readSelector } from './read-selector.js';
import { readSingleService } from './read-services.js';
import { readWord } from './read-scalar.js';
import {
  asMap,
  asSeq,
  describeNode,
  fields,
  items,
  missing,
  placeOf,
  scalarText,
} from './yaml-source.js';
import type { At } from './yaml-source.js';

const TEST_FIELDS = ['from', 'to', 'service', 'expect'];
const VERDICTS: readonly Verdict[] = ['allow', 'deny'];
const HINTS: Record<string, string> = {
  from: 'from: SELECTOR',
  to: 'to: SELECTOR',
  service: 'service: SERVICE, such as tcp/443 or a service name',
  expect: 'expect: allow or expect: deny',
};

/** Reads a `tests:` list of {from, to, service, expect}. */
export function readTests(ctx: LoadContext, at: At): PolicyTest[] {
  if (asSeq(at.node) === undefined) {
    const message = `Cannot read tests at ${formatPath(at.path)}: it is ${describeNode(at.node)}, not a list; write a list of {from, to, service, expect}`;
    ctx.reporter.error('wrong_type', at, message);
    return [];
  }
  return items(at).flatMap((item) => readTest(ctx, item) ?? []);
}

function readTest(ctx: LoadContext, at: At): PolicyTest | undefined {
  const where = formatPath(at.path);
  if (asMap(at.node) === undefined) {
    const message = `Cannot read test at ${where}: it is ${describeNode(at.node)}, not a mapping; write {from, to, service, expect}`;
    ctx.reporter.error('wrong_type', at, message);
    return undefined;
  }

  const found = fields(at, TEST_FIELDS, ctx.reporter);
  for (const field of TEST_FIELDS) {
    if (found.has(field)) continue;
    ctx.reporter.error(
      'missing_field',
      missing(at, field),
      `Cannot read test at ${where}: ${field} is missing; add ${HINTS[field] ?? field}`,
    );
  }

  const fromAt = found.get('from');
  const toAt = found.get('to');
  const serviceAt = found.get('service');
  const expectAt = found.get('expect');
  const from = fromAt === undefined ? undefined : readSelector(ctx, fromAt);
  const to = toAt === undefined ? undefined : readSelector(ctx, toAt);
  const service = serviceAt === undefined ? undefined : readSingleService(ctx, serviceAt);
  const expect =
    expectAt === undefined
      ? undefined
      : readWord(ctx.reporter, expectAt, VERDICTS, 'invalid_expect');
  if (from === undefined || to === undefined || service === undefined || expect === undefined)
    return undefined;

  const serviceText = scalarText(serviceAt?.node) ?? '';
  return { from, to, serviceText, service, expect, place: placeOf(at) };
}
