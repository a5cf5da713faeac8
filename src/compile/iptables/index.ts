export {
  IPSET_DEFAULT_MAXELEM,
  IPTABLES_CHAINS,
  formatIptablesRuleset,
  renderIptables,
} from './render.js';
export type { IpsetSet, IptablesOptions, IptablesRuleset } from './render.js';
export { addressSetPrefixes, rangeToPrefixes, withoutZeroPrefix } from './prefixes.js';
