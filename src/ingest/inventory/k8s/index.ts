export { K8S_MANIFEST_FORMAT, isK8sManifest, readK8sInventory } from './k8s-inventory.js';
export type { K8sInventoryReport, K8sNamespace } from './k8s-inventory.js';
export type { K8sService, K8sServicePort } from './k8s-service.js';
