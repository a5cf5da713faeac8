import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { InputError, formatPlace } from '../domain/index.js';
import type { Policy } from '../domain/index.js';
import { loadPolicyDocuments } from '../policy/index.js';
import type { PolicyIssue } from '../policy/index.js';

/** A policy path read: the policy when valid, and every issue found. */
export interface LoadedPolicy {
  readonly policy: Policy | undefined;
  readonly issues: readonly PolicyIssue[];
}

/**
 * Reads a policy file, or every `.yaml`/`.yml` file of a directory, and validates it.
 *
 * @throws InputError when the path cannot be read.
 */
export function readPolicy(path: string): LoadedPolicy {
  let files: string[];
  try {
    files = statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((f) => /\.ya?ml$/.test(f))
          .sort()
          .map((f) => join(path, f))
      : [path];
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    const why = missing ? 'no such file or folder; check the path' : (error as Error).message;
    throw new InputError(`Cannot read policy: ${why}`, { file: path }, { cause: error });
  }
  if (files.length === 0)
    throw new InputError('Cannot read policy: the folder holds no .yaml files', { file: path });
  const docs = files.map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  return loadPolicyDocuments(docs);
}

/** Formats an issue as `file:line:col: severity [code] message`. */
export function formatIssue(issue: PolicyIssue): string {
  return `${formatPlace(issue.place)}: ${issue.severity} [${issue.code}] ${issue.message}`;
}

/**
 * Reads a policy that must be valid for the command to go on: errors are printed and the
 * command exits 2.
 */
export function requirePolicy(path: string): Policy {
  const { policy, issues } = readPolicy(path);
  if (policy) return policy;
  for (const issue of issues) process.stderr.write(`${formatIssue(issue)}\n`);
  const errors = issues.filter((i) => i.severity === 'error').length;
  throw new InputError(
    `Cannot use policy: ${errors} error${errors === 1 ? '' : 's'}; run "bulkhead check ${path}"`,
    { file: path },
  );
}
