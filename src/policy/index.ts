export {
  networkContains,
  selectorPrefixes,
  selectsAny,
  selectsEndpoint,
  selectsWorkload,
  workloadEndpoint,
} from './select.js';
