import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { InputError } from '../../../domain/index.js';
import { asObject, lineAt } from './json-value.js';
import type { JsonObject } from './json-value.js';

/** Which AWS CLI response a file holds, by its top-level list. */
export type AwsDocumentKind = 'instances' | 'interfaces' | 'groups';

/** One AWS CLI response read from a file. */
export interface AwsDocument {
  readonly file: string;
  readonly text: string;
  readonly kind: AwsDocumentKind;
  readonly root: JsonObject;
}

/** The list each response keeps its records in. */
export const LIST_OF: Readonly<Record<AwsDocumentKind, string>> = {
  instances: 'Reservations',
  interfaces: 'NetworkInterfaces',
  groups: 'SecurityGroups',
};

/** File names in an account folder (CloudMapper writes `ec2-describe-instances.json`). */
const NAMES: readonly (readonly [RegExp, AwsDocumentKind])[] = [
  [/(^|[-_.])describe-instances(\.json)?$/, 'instances'],
  [/(^|[-_.])describe-network-interfaces(\.json)?$/, 'interfaces'],
  [/(^|[-_.])describe-security-groups(\.json)?$/, 'groups'],
];

function kindOfName(file: string): AwsDocumentKind | undefined {
  const name = basename(file);
  return NAMES.find(([pattern]) => pattern.test(name))?.[1];
}

function kindOfRoot(root: JsonObject): AwsDocumentKind | undefined {
  const kinds = Object.keys(LIST_OF) as AwsDocumentKind[];
  return kinds.find((kind) => Array.isArray(root[LIST_OF[kind]]));
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new InputError(
      `Cannot read AWS inventory "${file}": ${reason}`,
      { file },
      { cause: err },
    );
  }
}

/** How many characters V8 shows before the bad token in an "Unexpected token" message. */
const SNIPPET_BEFORE = 10;

/**
 * The offset JSON.parse's message points at: `position N`, or the snippet V8 quotes
 * around an unexpected token (`Unexpected token 'x', ..."a": x}" is not valid JSON`).
 */
function syntaxErrorOffset(message: string, text: string): number | undefined {
  const position = /\bposition (\d+)/.exec(message);
  if (position !== null) return Number(position[1]);
  if (message.startsWith('Unexpected end of JSON input')) return text.trimEnd().length;

  const token =
    /^Unexpected token '([\s\S])', (\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON$/.exec(
      message,
    );
  if (token === null) return undefined;
  const [, bad = '', cut, snippet = ''] = token;
  const start = text.indexOf(snippet);
  if (start < 0) return undefined;
  return start + (cut === undefined ? snippet.indexOf(bad) : SNIPPET_BEFORE);
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    const message = `Cannot read AWS inventory "${file}": ${err.message}; the file is not JSON, give the output of the AWS CLI with --output json`;
    const offset = syntaxErrorOffset(err.message, text);
    const place = offset === undefined ? { file } : { file, line: lineAt(text, offset) };
    throw new InputError(message, place, { cause: err });
  }
}

/**
 * Reads and parses one AWS CLI response. The kind comes from its top-level list; when
 * the file name promised a kind, the list must match it.
 *
 * @throws InputError when the file cannot be read, is not JSON (with its line), or holds
 *   none of `Reservations`, `NetworkInterfaces` and `SecurityGroups`.
 */
export async function readAwsDocument(file: string): Promise<AwsDocument> {
  const text = await readText(file);
  const root = asObject(parseJson(text, file)) ?? {};
  const kind = kindOfRoot(root);
  const named = kindOfName(file);
  if (kind === undefined || (named !== undefined && named !== kind)) {
    const want =
      named === undefined ? 'Reservations, NetworkInterfaces or SecurityGroups' : LIST_OF[named];
    const message = `Cannot read AWS inventory "${file}": the top-level object has no ${want} list; give the output of aws ec2 describe-instances, describe-network-interfaces or describe-security-groups`;
    throw new InputError(message, { file, line: 1 });
  }
  return { file, text, kind, root };
}

/**
 * The AWS CLI responses an import reads: the file itself, or every file under a folder
 * (an account folder as CloudMapper collects it, one sub-folder per region) named after
 * `describe-instances`, `describe-network-interfaces` or `describe-security-groups`,
 * in path order.
 *
 * @throws InputError when the path cannot be read or a folder holds no such file.
 */
export async function findAwsFiles(path: string): Promise<string[]> {
  let isFolder: boolean;
  try {
    isFolder = (await stat(path)).isDirectory();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new InputError(
      `Cannot read AWS inventory "${path}": ${reason}`,
      { file: path },
      { cause: err },
    );
  }
  if (!isFolder) return [path];

  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && kindOfName(entry.name) !== undefined)
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  if (files.length === 0) {
    const message = `Cannot read AWS inventory "${path}": the folder holds no describe-instances, describe-network-interfaces or describe-security-groups file; save the AWS CLI output as ec2-describe-instances.json and so on`;
    throw new InputError(message, { file: path });
  }
  return files;
}
