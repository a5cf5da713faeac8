import { isLabelKey, isLabelValue } from '../../domain/index.js';
import type { LabelSet } from '../../domain/index.js';

/** The Cilium label source that carries Kubernetes labels. */
const K8S_PREFIX = 'k8s:';

/** Keys Cilium derives from the pod's namespace; they become the `namespace` label. */
const NAMESPACE_KEYS = new Set(['io.kubernetes.pod.namespace']);

/**
 * Turns Cilium's endpoint labels (`k8s:app=productpage`) into workload labels.
 *
 * Only `k8s:` labels are taken (`reserved:`, `container:` and `cidr:` labels describe
 * Cilium's identities, not the pod). The prefix is stripped and the key lower-cased;
 * `io.kubernetes.pod.namespace` becomes `namespace`, and so does the endpoint's own
 * namespace. A key or value that is not a valid label (isLabelKey, isLabelValue) is
 * dropped, as is a label without `=`.
 */
export function hubbleLabels(labels: readonly unknown[], namespace: string | undefined): LabelSet {
  const out: Record<string, string> = {};
  for (const label of labels) {
    if (typeof label !== 'string' || !label.startsWith(K8S_PREFIX)) continue;
    const text = label.slice(K8S_PREFIX.length);
    const eq = text.indexOf('=');
    if (eq <= 0) continue;
    const raw = text.slice(0, eq).toLowerCase();
    const key = NAMESPACE_KEYS.has(raw) ? 'namespace' : raw;
    const value = text.slice(eq + 1);
    if (isLabelKey(key) && isLabelValue(value)) out[key] = value;
  }
  if (namespace !== undefined && isLabelValue(namespace)) out.namespace = namespace;
  return out;
}
