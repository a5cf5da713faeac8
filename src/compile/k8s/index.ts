export { buildGroupPlan, rulesMayOverlap } from './groups.js';
export type { GroupPeer, GroupPlan, GroupRule, GroupTier } from './groups.js';
export type { TargetNote, TargetOutput } from './notes.js';
export { describeService, renderKubernetes } from './render.js';
export type { KubernetesOptions } from './render.js';
export { NAMESPACE_NAME_LABEL, admitsNamespace, dnsName, podAlternatives } from './selectors.js';
export type { LabelSelector, PodAlternative } from './selectors.js';
