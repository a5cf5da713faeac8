import type { Rule, RuleAction, Tier } from '../domain/index.js';

import { parseExpires } from './expires.js';
import { formatPath } from './issue.js';
import type { LoadContext } from './load-context.js';
import { NAME_RULE, isPolicyName } from './name.js';
import { readSelector } from './read-selector.js';
import { readRuleServices } from './read-services.js';
import { readText, readWord } from './read-scalar.js';
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

const TIER_FIELDS = ['name', 'rules'];
const RULE_FIELDS = ['id', 'action', 'from', 'to', 'services', 'reason', 'owner', 'expires'];
const ACTIONS: readonly RuleAction[] = ['allow', 'deny', 'pass'];

/** Where one file keeps its rules: a `tiers:` list, a top-level `rules:` list, or both. */
export interface RuleSources {
  readonly tiers?: At;
  readonly rules?: At;
}

/** The name of the tier that holds a top-level `rules:` list. */
export const DEFAULT_TIER = 'default';

/**
 * Reads the tiers of every file in order. Tiers with the same name in several files are
 * one tier: its place is where it first appears, its rules are appended in file order.
 */
export function readTiers(
  ctx: LoadContext,
  sources: readonly RuleSources[],
): { tiers: Tier[]; ruleIds: Set<string> } {
  const tiers = new Map<string, Rule[]>();
  const ids = new Map<string, At>();
  const tierAt = new Map<string, At>();
  const addRules = (name: string, rules: readonly Rule[]): void => {
    tiers.set(name, [...(tiers.get(name) ?? []), ...rules]);
  };

  for (const source of sources) {
    if (source.rules !== undefined) addRules(DEFAULT_TIER, readRules(ctx, source.rules, ids));
    if (source.tiers === undefined) continue;
    if (asSeq(source.tiers.node) === undefined) {
      const message = `Cannot read tiers at ${formatPath(source.tiers.path)}: it is ${describeNode(source.tiers.node)}, not a list; write a list of {name, rules}`;
      ctx.reporter.error('wrong_type', source.tiers, message);
      continue;
    }
    for (const at of items(source.tiers)) {
      const tier = readTier(ctx, at, ids);
      if (tier === undefined) continue;
      checkTierRepeat(ctx, tierAt, tier.name, at);
      addRules(tier.name, tier.rules);
    }
  }

  const out = [...tiers].map(([name, rules]) => ({ name, rules }));
  return { tiers: out, ruleIds: new Set(ids.keys()) };
}

function checkTierRepeat(ctx: LoadContext, seen: Map<string, At>, name: string, at: At): void {
  const first = seen.get(name);
  if (first === undefined) {
    seen.set(name, at);
    return;
  }
  if (first.src === at.src) {
    const place = placeOf(first);
    const message = `Cannot define tier "${name}" at ${formatPath(at.path)}: a tier with this name is already defined at line ${place.line}; merge the two or rename one`;
    ctx.reporter.error('duplicate_tier', at, message);
  }
}

function readTier(ctx: LoadContext, at: At, ids: Map<string, At>): Tier | undefined {
  const where = formatPath(at.path);
  if (asMap(at.node) === undefined) {
    const message = `Cannot read tier at ${where}: it is ${describeNode(at.node)}, not a mapping; write {name: NAME, rules: [...]}`;
    ctx.reporter.error('wrong_type', at, message);
    return undefined;
  }

  const found = fields(at, TIER_FIELDS, ctx.reporter);
  const nameAt = found.get('name');
  const name = nameAt === undefined ? undefined : scalarText(nameAt.node);
  if (nameAt === undefined || name === undefined || !isPolicyName(name)) {
    const shown = name === undefined ? '' : ` "${name}"`;
    const problem =
      nameAt === undefined
        ? 'name is missing; add name: NAME'
        : `the name${shown} is not valid; ${NAME_RULE}`;
    ctx.reporter.error(
      nameAt === undefined ? 'missing_field' : 'invalid_name',
      nameAt ?? missing(at, 'name'),
      `Cannot read tier at ${where}: ${problem}`,
    );
  }

  const rulesAt = found.get('rules');
  if (rulesAt === undefined) {
    const message = `Cannot read tier at ${where}: rules is missing; add rules: [...]`;
    ctx.reporter.error('missing_field', missing(at, 'rules'), message);
    return undefined;
  }
  const rules = readRules(ctx, rulesAt, ids);
  if (asSeq(rulesAt.node)?.items.length === 0) {
    const message = `Cannot use tier${name === undefined ? '' : ` "${name}"`} at ${where}: it has no rules, so it never decides; add rules or remove the tier`;
    ctx.reporter.warn('empty_tier', rulesAt, message);
  }
  return name === undefined ? undefined : { name, rules };
}

function readRules(ctx: LoadContext, at: At, ids: Map<string, At>): Rule[] {
  if (asSeq(at.node) === undefined) {
    const message = `Cannot read rules at ${formatPath(at.path)}: it is ${describeNode(at.node)}, not a list; write a list of rules`;
    ctx.reporter.error('wrong_type', at, message);
    return [];
  }
  return items(at).flatMap((item) => readRule(ctx, item, ids) ?? []);
}

function readRule(ctx: LoadContext, at: At, ids: Map<string, At>): Rule | undefined {
  const where = formatPath(at.path);
  if (asMap(at.node) === undefined) {
    const message = `Cannot read rule at ${where}: it is ${describeNode(at.node)}, not a mapping; write {id, from, to, services}`;
    ctx.reporter.error('wrong_type', at, message);
    return undefined;
  }

  const found = fields(at, RULE_FIELDS, ctx.reporter);
  const id = readRuleId(ctx, at, found.get('id'), ids);
  const actionAt = found.get('action');
  const action =
    actionAt === undefined ? 'allow' : readWord(ctx.reporter, actionAt, ACTIONS, 'invalid_action');
  const from = readSide(ctx, at, found.get('from'), 'from');
  const to = readSide(ctx, at, found.get('to'), 'to');
  const services = readServices(ctx, at, found.get('services'));
  const optional = readOptional(ctx, found);
  if (id === undefined || action === undefined || from === undefined || to === undefined)
    return undefined;
  if (services === undefined || optional === undefined) return undefined;

  const place = placeOf(at);
  return { id, action, from, to, services, ...optional, place };
}

function readRuleId(
  ctx: LoadContext,
  at: At,
  idAt: At | undefined,
  ids: Map<string, At>,
): string | undefined {
  const where = formatPath(at.path);
  if (idAt === undefined) {
    const message = `Cannot read rule at ${where}: id is missing; add id: NAME so verdicts can name the rule`;
    ctx.reporter.error('missing_field', missing(at, 'id'), message);
    return undefined;
  }

  const id = scalarText(idAt.node);
  if (id === undefined || !isPolicyName(id)) {
    const message = `Cannot read rule id ${id === undefined ? describeNode(idAt.node) : `"${id}"`} at ${formatPath(idAt.path)}: ${NAME_RULE}`;
    ctx.reporter.error('invalid_rule_id', idAt, message);
    return undefined;
  }

  const earlier = ids.get(id);
  if (earlier !== undefined) {
    const first = placeOf(earlier);
    const message = `Cannot define rule "${id}" at ${formatPath(idAt.path)}: the id is already used at ${first.file}:${first.line}:${first.column}; rule ids must be unique, rename one`;
    ctx.reporter.error('duplicate_rule_id', idAt, message);
    return undefined;
  }
  ids.set(id, idAt);
  return id;
}

function readSide(ctx: LoadContext, rule: At, at: At | undefined, side: 'from' | 'to') {
  if (at !== undefined) return readSelector(ctx, at);
  const message = `Cannot read rule at ${formatPath(rule.path)}: ${side} is missing; add ${side}: SELECTOR, or ${side}: any to match every ${side === 'from' ? 'source' : 'destination'}`;
  ctx.reporter.error('missing_field', missing(rule, side), message);
  return undefined;
}

function readServices(ctx: LoadContext, rule: At, at: At | undefined) {
  if (at !== undefined) return readRuleServices(ctx, at);
  const message = `Cannot read rule at ${formatPath(rule.path)}: services is missing; add services: [SERVICE, …], or services: any to match every protocol and port`;
  ctx.reporter.error('missing_field', missing(rule, 'services'), message);
  return undefined;
}

type Optional = Pick<Rule, 'reason' | 'owner' | 'expires'>;

function readOptional(ctx: LoadContext, found: Map<string, At>): Optional | undefined {
  const out: { reason?: string; owner?: string; expires?: number } = {};
  let ok = true;
  for (const field of ['reason', 'owner'] as const) {
    const at = found.get(field);
    if (at === undefined) continue;
    const text = readText(ctx.reporter, at);
    if (text === undefined) ok = false;
    else out[field] = text;
  }

  const expiresAt = found.get('expires');
  if (expiresAt !== undefined) {
    const text = scalarText(expiresAt.node) ?? '';
    const expires = parseExpires(text);
    if (typeof expires === 'number') out.expires = expires;
    else {
      ctx.reporter.error(
        'invalid_expires',
        expiresAt,
        `Cannot parse expires "${text}" at ${formatPath(expiresAt.path)}: ${expires.problem}`,
      );
      ok = false;
    }
  }
  return ok ? out : undefined;
}
