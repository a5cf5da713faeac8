import type { ServiceEntry } from '../domain/index.js';

import { formatPath } from './issue.js';
import type { LoadContext } from './load-context.js';
import { knownNames } from './name.js';
import { problemMessage } from './problem.js';
import { readServiceText } from './service-spec.js';
import { asSeq, describeNode, isNothing, items, scalarText, scalarValue } from './yaml-source.js';
import type { At } from './yaml-source.js';

type Lookup = (name: string, at: At) => readonly ServiceEntry[] | undefined;

/**
 * Resolves every service definition: specs parsed, references to other services followed,
 * cycles reported. Results land in `ctx.services`; failed ones are left out (and reported).
 */
export function resolveServices(ctx: LoadContext): void {
  const failed = new Set<string>();
  const stack: string[] = [];

  const lookup: Lookup = (name, at) => {
    const done = ctx.services.get(name);
    if (done !== undefined || failed.has(name)) return done;
    const definition = ctx.definitions.service.get(name);
    if (definition === undefined) {
      reportUnknownService(ctx, name, at);
      return undefined;
    }

    if (stack.includes(name)) {
      const loop = [...stack.slice(stack.indexOf(name)), name].join(' → ');
      const problem = `services ${loop} refer to each other; replace one reference with a protocol spec`;
      ctx.reporter.error(
        'service_cycle',
        at,
        `Cannot resolve service "${name}" at ${formatPath(at.path)}: ${problem}`,
      );
      return undefined;
    }

    stack.push(name);
    const entries = readServiceValue(ctx, definition.at, lookup);
    stack.pop();
    if (entries === undefined) failed.add(name);
    else ctx.services.set(name, entries);
    return entries;
  };

  for (const name of ctx.definitions.service.keys())
    lookup(name, ctx.definitions.service.get(name)!.at);
}

/**
 * Reads a rule's `services:`: `any`, a name, a spec or a list of those. Returns undefined
 * when something in it is wrong (each problem is reported).
 */
export function readRuleServices(
  ctx: LoadContext,
  at: At,
): readonly ServiceEntry[] | 'any' | undefined {
  if (scalarValue(at.node) === 'any') return 'any';
  return readServiceValue(ctx, at, (name, refAt) => {
    const entries = ctx.services.get(name);
    if (entries !== undefined || ctx.definitions.service.has(name)) return entries;
    reportUnknownService(ctx, name, refAt);
    return undefined;
  });
}

/** Reads one service given as a single text (a policy test's `service:`). */
export function readSingleService(ctx: LoadContext, at: At): readonly ServiceEntry[] | undefined {
  if (asSeq(at.node) !== undefined) {
    const message = `Cannot read service at ${formatPath(at.path)}: a test names one service; write one test per service`;
    ctx.reporter.error('wrong_type', at, message);
    return undefined;
  }
  const services = readRuleServices(ctx, at);
  return services === 'any' ? [{ protocol: 'any' }] : services;
}

function readServiceValue(
  ctx: LoadContext,
  at: At,
  lookup: Lookup,
): readonly ServiceEntry[] | undefined {
  const seq = asSeq(at.node);
  if (seq === undefined) return readServiceItem(ctx, at, lookup);
  if (seq.items.length === 0) {
    const message = `Cannot read services at ${formatPath(at.path)}: the list is empty, so it would match nothing; list at least one service or write any`;
    ctx.reporter.error('invalid_service', at, message);
    return undefined;
  }

  const out: ServiceEntry[] = [];
  let ok = true;
  for (const item of items(at)) {
    const entries = readServiceItem(ctx, item, lookup);
    if (entries === undefined) ok = false;
    else out.push(...entries);
  }
  return ok ? out : undefined;
}

function readServiceItem(
  ctx: LoadContext,
  at: At,
  lookup: Lookup,
): readonly ServiceEntry[] | undefined {
  const where = formatPath(at.path);
  const text = scalarText(at.node);
  const value = scalarValue(at.node);
  if (text === undefined || typeof value !== 'string') {
    const fix =
      typeof value === 'number'
        ? `write the protocol with the port, such as tcp/${value}`
        : 'write a spec such as tcp/443, a service name, or any';
    const message = `Cannot read service ${describeNode(at.node)} at ${where}: ${isNothing(at.node) ? 'it is empty' : 'it is not text'}; ${fix}`;
    ctx.reporter.error('wrong_type', at, message);
    return undefined;
  }

  const reading = readServiceText(text);
  switch (reading.kind) {
    case 'entries':
      return reading.entries;
    case 'name':
      return lookup(reading.name, at);
    case 'problem':
      ctx.reporter.error(reading.problem.code, at, problemMessage(reading.problem, ` at ${where}`));
      return undefined;
  }
}

function reportUnknownService(ctx: LoadContext, name: string, at: At): void {
  const problem = `it is neither a protocol spec such as tcp/443 nor a defined service; ${knownNames(ctx.definitions.service.keys())}`;
  ctx.reporter.error(
    'unknown_service',
    at,
    `Cannot find service "${name}" at ${formatPath(at.path)}: ${problem}`,
  );
}
