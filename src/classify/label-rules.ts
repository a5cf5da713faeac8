import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node } from 'yaml';

import {
  InputError,
  isLabelKey,
  isLabelValue,
  parseCidr,
  protocolNumber,
} from '../domain/index.js';
import type { Cidr, Place } from '../domain/index.js';

/** What a labelling rule matches; every present matcher must hold (AND). */
export interface LabelRuleMatch {
  readonly cidrs?: readonly Cidr[];
  /** A glob over workload names: `*` any run of characters, `?` one character. */
  readonly name?: string;
  /** Ports the workload listens on (scans) or serves (observed flows), any of them. */
  readonly ports?: readonly { readonly protocol: number; readonly port: number }[];
}

/** A labelling rule: labels given to every workload the match selects. */
export interface LabelRule {
  readonly index: number;
  readonly match: LabelRuleMatch;
  readonly labels: Readonly<Record<string, string>>;
  readonly place: Place;
}

const RULE_FIELDS = ['match', 'labels', 'name'];
const MATCH_FIELDS = ['cidr', 'name', 'port'];

/**
 * Parses a labelling rules file:
 *
 * ```yaml
 * rules:
 *   - match: {cidr: 141.81.0.0/24}
 *     labels: {env: ot}
 *   - match: {port: [tcp/502, tcp/102]}
 *     labels: {role: plc}
 * ```
 *
 * @returns The rules, or every problem found, each with its place.
 */
export function parseLabelRules(
  text: string,
  file: string,
): { rules: LabelRule[]; errors: InputError[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const errors: InputError[] = [];
  const placeOf = (node: Node | null | undefined): Place => {
    const offset = node?.range?.[0] ?? 0;
    const pos = lines.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  const fail = (node: Node | null | undefined, message: string): void => {
    errors.push(new InputError(message, placeOf(node)));
  };

  for (const error of doc.errors) {
    const pos = lines.linePos(error.pos[0]);
    errors.push(
      new InputError(`Cannot parse YAML: ${error.message.split('\n')[0]}`, {
        file,
        line: pos.line,
        column: pos.col,
      }),
    );
  }
  if (errors.length > 0) return { rules: [], errors };

  const root = doc.contents;
  const list = isMap(root) ? root.get('rules', true) : undefined;
  if (!isSeq(list)) {
    fail(root, 'Cannot read labelling rules: expected a top-level "rules:" list');
    return { rules: [], errors };
  }

  const rules: LabelRule[] = [];
  list.items.forEach((item, index) => {
    const rule = parseRule(item as Node, index, fail, placeOf);
    if (rule) rules.push(rule);
  });
  return { rules, errors };
}

type Fail = (node: Node | null | undefined, message: string) => void;

function parseRule(
  node: Node,
  index: number,
  fail: Fail,
  placeOf: (n: Node) => Place,
): LabelRule | undefined {
  const where = `rules[${index}]`;
  if (!isMap(node)) {
    fail(node, `Cannot read ${where}: expected a map with "match" and "labels"`);
    return undefined;
  }
  let known = true;
  for (const pair of node.items) {
    const key = scalarText(pair.key);
    if (RULE_FIELDS.includes(key)) continue;
    known = false;
    fail(
      pair.key as Node,
      `Cannot read ${where}: unknown field "${key}"; allowed are ${RULE_FIELDS.join(', ')}`,
    );
  }

  const matchNode = node.get('match', true) as Node | undefined;
  const labelsNode = node.get('labels', true) as Node | undefined;
  const match = parseMatch(matchNode ?? node, `${where}.match`, matchNode === undefined, fail);
  const labels = parseLabels(labelsNode ?? node, `${where}.labels`, labelsNode === undefined, fail);
  if (!match || !labels || !known) return undefined;
  return { index, match, labels, place: placeOf(node) };
}

function parseMatch(
  node: Node,
  where: string,
  missing: boolean,
  fail: Fail,
): LabelRuleMatch | undefined {
  if (missing || !isMap(node)) {
    fail(node, `Cannot read ${where}: expected a map of cidr, name and port matchers`);
    return undefined;
  }
  const match: { cidrs?: Cidr[]; name?: string; ports?: { protocol: number; port: number }[] } = {};
  let ok = true;
  for (const pair of node.items) {
    const key = scalarText(pair.key);
    const value = pair.value as Node;
    const items = isSeq(value) ? (value.items as Node[]) : [value];
    const texts = items.map(scalarText);
    if (key === 'cidr') {
      match.cidrs = [];
      texts.forEach((t, i) => {
        try {
          match.cidrs!.push(parseCidr(t));
        } catch (error) {
          ok = false;
          fail(items[i], `Cannot read ${where}.cidr: ${(error as Error).message}`);
        }
      });
    } else if (key === 'name') {
      match.name = texts[0] ?? '';
    } else if (key === 'port') {
      match.ports = [];
      texts.forEach((t, i) => {
        const port = parsePortText(t);
        if (port) match.ports!.push(port);
        else {
          ok = false;
          fail(
            items[i],
            `Cannot read ${where}.port: "${t}" is not a port; write tcp/502 or udp/53`,
          );
        }
      });
    } else {
      ok = false;
      fail(
        pair.key as Node,
        `Cannot read ${where}: unknown matcher "${key}"; allowed are ${MATCH_FIELDS.join(', ')}`,
      );
    }
  }
  if (Object.keys(match).length === 0 && ok) {
    fail(
      node,
      `Cannot read ${where}: it is empty; give at least one of ${MATCH_FIELDS.join(', ')}`,
    );
    return undefined;
  }
  return ok ? match : undefined;
}

function parsePortText(text: string): { protocol: number; port: number } | undefined {
  const m = /^([a-z0-9]+)\/(\d{1,5})$/.exec(text.trim());
  if (!m) return undefined;
  const protocol = protocolNumber(m[1]!);
  const port = Number(m[2]);
  if (protocol === undefined || port < 1 || port > 65535) return undefined;
  return { protocol, port };
}

function parseLabels(
  node: Node,
  where: string,
  missing: boolean,
  fail: Fail,
): Record<string, string> | undefined {
  if (missing || !isMap(node) || node.items.length === 0) {
    fail(node, `Cannot read ${where}: expected a map of label keys to values, e.g. {role: plc}`);
    return undefined;
  }
  const labels: Record<string, string> = {};
  let ok = true;
  for (const pair of node.items) {
    const key = scalarText(pair.key);
    const value = scalarText(pair.value);
    if (!isLabelKey(key)) {
      ok = false;
      fail(
        pair.key as Node,
        `Cannot read ${where}: label key "${key}" must start with a lower-case letter and hold only a-z, 0-9, _ . / -`,
      );
    } else if (!isLabelValue(value)) {
      ok = false;
      fail(
        pair.value as Node,
        `Cannot read ${where}.${key}: label value "${value}" must start with a letter or digit and hold only letters, digits, _ . / : -`,
      );
    } else labels[key] = value;
  }
  return ok ? labels : undefined;
}

/** The text of a scalar node; empty for maps, lists and missing nodes. */
function scalarText(node: unknown): string {
  if (!isScalar(node)) return '';
  const value = node.value;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : '';
}
