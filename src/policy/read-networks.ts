import { cidrContains } from '../domain/index.js';
import type { Address, Cidr } from '../domain/index.js';

import { readCidr } from './cidr-text.js';
import { formatPath } from './issue.js';
import type { LoadContext } from './load-context.js';
import { asMap, asSeq, describeNode, fields, items, missing, scalarText } from './yaml-source.js';
import type { At } from './yaml-source.js';

const NETWORK_FIELDS = ['cidrs', 'except'];

/** Reads every network definition into `ctx.networks`; each problem is reported. */
export function resolveNetworks(ctx: LoadContext): void {
  for (const [name, definition] of ctx.definitions.network) {
    const { at } = definition;
    if (asMap(at.node) === undefined) {
      const message = `Cannot read network "${name}" at ${formatPath(at.path)}: it is ${describeNode(at.node)}, not a mapping; write {cidrs: [198.18.0.0/15], except: []}`;
      ctx.reporter.error('wrong_type', at, message);
      continue;
    }

    const found = fields(at, NETWORK_FIELDS, ctx.reporter);
    const cidrsAt = found.get('cidrs');
    if (cidrsAt === undefined) {
      const message = `Cannot read network "${name}" at ${formatPath(at.path)}: cidrs is missing; add cidrs: [PREFIX, …]`;
      ctx.reporter.error('missing_field', missing(at, 'cidrs'), message);
      continue;
    }

    const cidrs = readCidrList(ctx, cidrsAt, true);
    const exceptAt = found.get('except');
    const except = exceptAt === undefined ? [] : readCidrList(ctx, exceptAt, false);
    if (cidrs === undefined || except === undefined) continue;

    warnStrayExceptions(ctx, cidrs, except, exceptAt);
    ctx.networks.set(name, { name, cidrs, except });
  }
}

function readCidrList(ctx: LoadContext, at: At, required: boolean): Cidr[] | undefined {
  const where = formatPath(at.path);
  if (asSeq(at.node) === undefined) {
    const message = `Cannot read prefixes at ${where}: it is ${describeNode(at.node)}, not a list; write [198.18.0.0/15, "2001:db8::/32"]`;
    ctx.reporter.error('wrong_type', at, message);
    return undefined;
  }

  const list = items(at);
  if (required && list.length === 0) {
    const message = `Cannot read prefixes at ${where}: the list is empty, so the network holds no address; list at least one prefix`;
    ctx.reporter.error('empty_network', at, message);
    return undefined;
  }

  const out: Cidr[] = [];
  let ok = true;
  for (const item of list) {
    const cidr = readCidrItem(ctx, item);
    if (cidr === undefined) ok = false;
    else out.push(cidr);
  }
  return ok ? out : undefined;
}

/** Reads one prefix node, reporting what is wrong with it. */
export function readCidrItem(ctx: LoadContext, at: At): Cidr | undefined {
  const text = scalarText(at.node);
  const where = formatPath(at.path);
  if (text === undefined) {
    const message = `Cannot parse CIDR ${describeNode(at.node)} at ${where}: it is not text; write a prefix such as 198.18.0.0/15`;
    ctx.reporter.error('wrong_type', at, message);
    return undefined;
  }

  const cidr = readCidr(text);
  if (typeof cidr === 'string') return cidr;
  ctx.reporter.error(
    'invalid_cidr',
    at,
    `Cannot parse CIDR "${text}" at ${where}: ${cidr.problem}`,
  );
  return undefined;
}

function warnStrayExceptions(
  ctx: LoadContext,
  cidrs: readonly Cidr[],
  except: readonly Cidr[],
  at: At | undefined,
): void {
  if (at === undefined) return;
  except.forEach((cidr, index) => {
    const base = cidr.slice(0, cidr.indexOf('/')) as Address;
    const length = Number(cidr.slice(cidr.indexOf('/') + 1));
    const inside = cidrs.some(
      (outer) => Number(outer.slice(outer.indexOf('/') + 1)) <= length && cidrContains(outer, base),
    );
    if (inside) return;

    const itemAt = items(at)[index] ?? at;
    const message = `Cannot apply exception "${cidr}" at ${formatPath(itemAt.path)}: it lies outside every prefix of the network, so it removes nothing; remove it or fix the prefix`;
    ctx.reporter.warn('except_outside_network', itemAt, message);
  });
}
