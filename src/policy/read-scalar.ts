import { formatPath } from './issue.js';
import type { PolicyIssueCode } from './issue.js';
import type { Reporter } from './yaml-source.js';
import { describeNode, isNothing, scalarText, scalarValue } from './yaml-source.js';
import type { At } from './yaml-source.js';

/** Reads one of a fixed set of words; reports the allowed ones otherwise. */
export function readWord<T extends string>(
  reporter: Reporter,
  at: At,
  allowed: readonly T[],
  code: PolicyIssueCode,
): T | undefined {
  const value = scalarValue(at.node);
  const found = allowed.find((word) => word === value);
  if (found !== undefined) return found;

  const shown = typeof value === 'string' ? `"${value}"` : describeNode(at.node);
  const field = String(at.path[at.path.length - 1] ?? 'value');
  const message = `Cannot read ${field} ${shown} at ${formatPath(at.path)}: write one of ${allowed.join(', ')}`;
  reporter.error(code, at, message);
  return undefined;
}

/** Reads `true` or `false`. */
export function readBoolean(reporter: Reporter, at: At): boolean | undefined {
  const value = scalarValue(at.node);
  if (typeof value === 'boolean') return value;
  const message = `Cannot read ${describeNode(at.node)} at ${formatPath(at.path)}: write true or false`;
  reporter.error('wrong_type', at, message);
  return undefined;
}

/** Reads free text (a reason, an owner); numbers are taken as written. */
export function readText(reporter: Reporter, at: At): string | undefined {
  const text = scalarText(at.node);
  if (text !== undefined && !isNothing(at.node) && text.trim() !== '') return text;
  const message = `Cannot read ${describeNode(at.node)} at ${formatPath(at.path)}: write some text, or leave the field out`;
  reporter.error('wrong_type', at, message);
  return undefined;
}
