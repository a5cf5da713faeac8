/**
 * The only module of `analyze/k8s` that touches the file system: it lists the YAML and
 * JSON files under a folder and hands their text to the pure parser.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../domain/index.js';
import { parseManifestText } from '../../analyze/k8s/index.js';
import type { ManifestDocument } from '../../analyze/k8s/index.js';

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** The documents of every manifest file under a folder, in path order. */
export interface ManifestSet {
  readonly documents: readonly ManifestDocument[];
  readonly warnings: readonly string[];
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && MANIFEST_FILE.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * Reads every `.yaml`, `.yml` and `.json` file under `dir` (recursively).
 *
 * @throws InputError when the folder cannot be listed or a file does not parse.
 */
export async function readManifests(dir: string): Promise<ManifestSet> {
  let files: string[];
  try {
    files = await listFiles(dir);
  } catch (err) {
    throw new InputError(`Cannot list manifests in "${dir}"`, { file: dir }, { cause: err });
  }

  const documents: ManifestDocument[] = [];
  const warnings: string[] = [];
  for (const path of files) {
    const text = await readFile(path, 'utf8');
    const parsed = parseManifestText(path, text);
    documents.push(...parsed.documents);
    warnings.push(...parsed.warnings);
  }
  return { documents, warnings };
}
