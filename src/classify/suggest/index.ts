export { groupByBehaviour } from './behaviour-groups.js';
export type { BehaviourGroup } from './behaviour-groups.js';
export { adjustedRandIndex } from './rand-index.js';
export { suggestLabels } from './suggest-labels.js';
export type { LabelSuggestion, SuggestOptions } from './suggest-labels.js';
export { suggestionId } from './suggestion-id.js';
