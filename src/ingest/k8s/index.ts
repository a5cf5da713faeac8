import { analyzeManifests } from '../../analyze/k8s/index.js';
import type { ConnlistResult } from '../../analyze/k8s/index.js';
import { readManifests } from './read-manifests.js';

export { readManifests } from './read-manifests.js';
export type { ManifestSet } from './read-manifests.js';

/**
 * Reads every manifest under `dir` and computes the allowed connections.
 *
 * @throws InputError naming the file and line of the first file or object that cannot be read.
 */
export async function connlist(dir: string): Promise<ConnlistResult> {
  const set = await readManifests(dir);
  const result = analyzeManifests(set.documents);
  return { ...result, warnings: [...set.warnings, ...result.warnings] };
}
