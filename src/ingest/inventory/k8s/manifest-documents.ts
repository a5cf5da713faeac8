import { readFile, readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { InputError } from '../../../domain/index.js';

/** A Kubernetes object as the YAML parser returns it, narrowed from unknown. */
export type K8sObject = Readonly<Record<string, unknown>>;

/** One object of a manifest with the place it starts at. */
export interface ManifestObject {
  readonly file: string;
  readonly line: number;
  readonly object: K8sObject;
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Narrows a parsed value to a mapping, or undefined for anything else. */
export function asK8sObject(value: unknown): K8sObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as K8sObject)
    : undefined;
}

function cannotRead(path: string, err: unknown): InputError {
  const reason = err instanceof Error ? err.message : String(err);
  return new InputError(
    `Cannot read Kubernetes manifests "${path}": ${reason}`,
    { file: path },
    {
      cause: err,
    },
  );
}

/**
 * The manifest files an import reads: the file itself, or every `.yaml`, `.yml` and
 * `.json` file under a folder, in path order.
 *
 * @throws InputError when the path cannot be read or a folder holds no such file.
 */
export async function findManifestFiles(path: string): Promise<string[]> {
  let isFolder: boolean;
  try {
    isFolder = (await stat(path)).isDirectory();
  } catch (err) {
    throw cannotRead(path, err);
  }
  if (!isFolder) return [path];

  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && EXTENSIONS.has(extname(entry.name).toLowerCase()))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  if (files.length === 0) {
    const message = `Cannot read Kubernetes manifests "${path}": the folder holds no .yaml, .yml or .json file`;
    throw new InputError(message, { file: path });
  }
  return files;
}

/** The objects of one document: itself, or the items of a `kind: List`. */
function objectsOf(value: unknown): K8sObject[] {
  const object = asK8sObject(value);
  if (object === undefined) return [];
  if (object.kind !== 'List' || !Array.isArray(object.items)) return [object];
  return object.items.map(asK8sObject).filter((item) => item !== undefined);
}

/**
 * Reads every document of a multi-document YAML (or JSON) file. Empty documents are left
 * out; each object carries the line its document starts at.
 *
 * @throws InputError naming the file and line of the first YAML error (a TAB used for
 *   indentation, a bad indent, an unclosed bracket).
 */
export async function readManifestFile(file: string): Promise<ManifestObject[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw cannotRead(file, err);
  }

  const lineCounter = new LineCounter();
  const objects: ManifestObject[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter })) {
    const error = doc.errors[0];
    if (error !== undefined) {
      const [start] = error.linePos ?? [];
      const reason = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      const message = `Cannot read Kubernetes manifests "${file}": ${reason}; fix the YAML (indent with spaces, close every bracket)`;
      const place = start === undefined ? { file } : { file, line: start.line, column: start.col };
      throw new InputError(message, place, { cause: error });
    }

    const line = lineCounter.linePos(doc.contents?.range[0] ?? 0).line;
    for (const object of objectsOf(doc.toJS())) objects.push({ file, line, object });
  }
  return objects;
}
