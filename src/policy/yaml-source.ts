import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, YAMLMap, YAMLSeq } from 'yaml';

import { formatPath } from './issue.js';
import type { IssuePlace, PolicyIssue, PolicyIssueCode } from './issue.js';

/** A path to a field inside one policy file. */
export type Path = readonly (string | number)[];

/** One parsed policy file: its YAML tree, and the line counter that turns offsets into places. */
export interface Source {
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

/** A node of a policy file with the path that leads to it; `node` is undefined when absent. */
export interface At {
  readonly src: Source;
  readonly path: Path;
  readonly node: unknown;
  /** The node to point at when `node` is absent (the map that lacks a field). */
  readonly parent?: unknown;
}

/** Collects issues; loaders report every problem and go on. */
export class Reporter {
  readonly issues: PolicyIssue[] = [];

  /** Records an error at a node (or at its parent when the node is absent). */
  error(code: PolicyIssueCode, at: At, message: string): void {
    this.issues.push({ code, severity: 'error', path: at.path, message, place: placeOf(at) });
  }

  /** Records a warning: the policy still loads. */
  warn(code: PolicyIssueCode, at: At, message: string): void {
    this.issues.push({ code, severity: 'warning', path: at.path, message, place: placeOf(at) });
  }
}

/** Parses YAML keeping source positions; syntax problems are reported, not thrown. */
export function parseSource(text: string, file: string, reporter: Reporter): Source | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const src: Source = { file, doc, lines };

  const problems = [
    ...doc.errors.map((problem) => ({ problem, severity: 'error' as const })),
    ...doc.warnings.map((problem) => ({ problem, severity: 'warning' as const })),
  ];
  let fatal = false;
  for (const { problem, severity } of problems) {
    const { line, col } = lines.linePos(problem.pos[0]);
    const duplicate = problem.code === 'DUPLICATE_KEY';
    // A repeated key leaves a usable tree behind; any other syntax error does not.
    if (!duplicate && severity === 'error') fatal = true;
    reporter.issues.push({
      code: duplicate ? 'duplicate_key' : 'yaml_syntax',
      severity,
      path: [],
      message: duplicate
        ? `Cannot read key "${keyAt(text, problem.pos[0])}" in ${file}: the mapping already has this key; keep one entry per key`
        : `Cannot parse YAML in ${file}: ${firstLine(problem.message)}; fix the syntax at this line and column`,
      place: { file, line, column: col },
    });
  }
  return fatal ? undefined : src;
}

/** The key written at an offset, for a duplicate-key message. */
function keyAt(text: string, offset: number): string {
  const rest = text.slice(offset);
  return (
    (/^"([^"]*)"/.exec(rest) ?? /^'([^']*)'/.exec(rest) ?? /^([^:\n]*?)\s*:/.exec(rest))?.[1] ??
    rest.slice(0, 20)
  );
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/\.$/, '');
}

/** The place of a node, or of its parent, or the start of the file. */
export function placeOf(at: At): IssuePlace {
  const offset = offsetOf(at.node) ?? offsetOf(at.parent) ?? 0;
  const { line, col } = at.src.lines.linePos(offset);
  return { file: at.src.file, line, column: col };
}

function offsetOf(node: unknown): number | undefined {
  if (isScalar(node) || isMap(node) || isSeq(node) || isAlias(node)) return node.range?.[0];
  return undefined;
}

/** Follows an alias (`*name`) to the node it names. */
export function deref(src: Source, node: unknown): unknown {
  return isAlias(node) ? node.resolve(src.doc) : node;
}

/** The child of a node at a path step. */
export function child(at: At, key: string | number, node: unknown, parent?: unknown): At {
  const base = { src: at.src, path: [...at.path, key], node: deref(at.src, node) };
  return parent === undefined ? base : { ...base, parent };
}

/** Whether a node is absent or an explicit YAML null (`key:` with nothing after it). */
export function isNothing(node: unknown): boolean {
  return node === undefined || node === null || (isScalar(node) && node.value === null);
}

/** The scalar value of a node (string, number, boolean or null), or undefined for collections. */
export function scalarValue(node: unknown): unknown {
  return isScalar(node) ? node.value : undefined;
}

/** A scalar written as text; numbers and booleans are shown as written in messages. */
export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const value = node.value;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** The node as a map, or undefined. */
export function asMap(node: unknown): YAMLMap | undefined {
  return isMap(node) ? node : undefined;
}

/** The node as a sequence, or undefined. */
export function asSeq(node: unknown): YAMLSeq | undefined {
  return isSeq(node) ? node : undefined;
}

/** How a node is described in a "wrong type" message. */
export function describeNode(node: unknown): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isNothing(node)) return 'nothing';
  const value = scalarValue(node);
  return typeof value === 'string' ? `"${value}"` : String(value);
}

/**
 * The fields of a map, in order, with unknown ones reported. Keys that are not text are
 * reported as wrong types.
 */
export function fields(at: At, allowed: readonly string[], reporter: Reporter): Map<string, At> {
  const out = new Map<string, At>();
  const map = asMap(at.node);
  if (map === undefined) return out;

  for (const pair of map.items) {
    const keyAt = child(at, scalarText(pair.key) ?? '?', pair.key);
    const key = scalarText(pair.key);
    if (key === undefined) {
      reporter.error(
        'wrong_type',
        keyAt,
        `Cannot read key at ${formatPath(at.path)}: keys must be text`,
      );
      continue;
    }
    if (!allowed.includes(key)) {
      const where = at.path.length === 0 ? 'the top level' : formatPath(at.path);
      reporter.error(
        'unknown_field',
        keyAt,
        `Cannot read field "${key}" at ${where}: it is not a known field; allowed fields are ${allowed.join(', ')}`,
      );
      continue;
    }
    out.set(key, child(at, key, pair.value, pair.key));
  }
  return out;
}

/** The entries of a name → value map, each key kept with its node for places. */
export function entries(at: At): { name: string; at: At; keyAt: At }[] {
  const map = asMap(at.node);
  if (map === undefined) return [];
  return map.items.map((pair) => {
    const name = scalarText(pair.key) ?? '';
    return { name, at: child(at, name, pair.value, pair.key), keyAt: child(at, name, pair.key) };
  });
}

/** The items of a list, each with its index in the path. */
export function items(at: At): At[] {
  const seq = asSeq(at.node);
  if (seq === undefined) return [];
  return seq.items.map((item, index) => child(at, index, item, seq));
}

/** An absent field of a map, pointing at the map. */
export function missing(at: At, key: string): At {
  return { src: at.src, path: [...at.path, key], node: undefined, parent: at.node };
}
