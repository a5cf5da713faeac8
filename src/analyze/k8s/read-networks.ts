/**
 * Reading of user-defined networks (OVN-Kubernetes UserDefinedNetwork and
 * ClusterUserDefinedNetwork) and Multus NetworkAttachmentDefinitions.
 */
import type { Place } from '../../domain/index.js';
import type { PodNetwork } from './model.js';
import type { Json } from './narrow.js';

/** A pod network from its manifest, or undefined when the kind is not one. */
export function readPodNetwork(
  _object: Json,
  _kind: string,
  _place: Place,
): PodNetwork | undefined {
  return undefined;
}
