/**
 * How Tailscale identities become Bulkhead labels and network names. Label values allow
 * only `A-Z a-z 0-9 _ . / : -` and label keys hold one value each, so users and tags are
 * encoded, not copied.
 */

/** Label key holding the owning user of an untagged node. */
export const USER_KEY = 'user';

/** Label key that is `true` on tagged nodes and `false` on user-owned ones. */
export const TAGGED_KEY = 'tagged';

/** Network for `*` as a source: every address Tailscale delivers from. */
export const TAILNET_NETWORK = 'tailnet';

/** Network for `autogroup:internet`. */
export const INTERNET_NETWORK = 'internet';

/**
 * The addresses of a tailnet: the carrier-grade NAT range Tailscale assigns IPv4 addresses
 * from (RFC 6598) and Tailscale's IPv6 unique local prefix. 100.115.92.0/23 is cut out
 * because Tailscale reserves it for its own services and never gives it to a node.
 */
export const TAILNET_CIDRS = ['100.64.0.0/10', 'fd7a:115c:a1e0::/48'] as const;
export const TAILNET_EXCEPT = ['100.115.92.0/23'] as const;

/**
 * Public addresses, approximated as everything minus private (RFC 1918), CGNAT (RFC
 * 6598), loopback, link-local, multicast and IPv6 unique local, link-local and multicast.
 */
export const INTERNET_CIDRS = ['0.0.0.0/0', '::/0'] as const;
export const INTERNET_EXCEPT = [
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '224.0.0.0/4',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
  'ff00::/8',
] as const;

const VALUE_CHAR = /[A-Za-z0-9_./:-]/;

/**
 * The label value for a user login name: `@` becomes `_at_`, and any other character a
 * label value cannot hold becomes `_xHH_` (its code in hex), so distinct names stay
 * distinct: `alice@example.com` → `alice_at_example.com`.
 */
export function userLabelValue(user: string): string {
  let out = '';
  for (const ch of user) {
    if (ch === '@') out += '_at_';
    else if (VALUE_CHAR.test(ch)) out += ch;
    else out += `_x${ch.codePointAt(0)?.toString(16) ?? ''}_`;
  }
  return /^[A-Za-z0-9]/.test(out) ? out : `u${out}`;
}

/**
 * The label key for a tag: one key per tag (`tag:web` → `tag.web`, value `true`), because a
 * node can carry several tags and a label key holds one value. Upper case is folded.
 */
export function tagLabelKey(tag: string): string {
  const name = tag.startsWith('tag:') ? tag.slice(4) : tag;
  return `tag.${name.toLowerCase().replace(/[^a-z0-9_.-]/g, '-')}`;
}

function policyName(text: string): string {
  const name = text.toLowerCase().replace(/[^a-z0-9_.-]/g, '-');
  return /^[a-z0-9]/.test(name) ? name : `n${name}`;
}

/** The network name for a `hosts` entry. */
export function hostNetworkName(host: string): string {
  return `host.${policyName(host)}`;
}

/** The network holding a node's approved subnet routes; the compiler reads it back. */
export function routesNetworkName(node: string): string {
  return `routes.${policyName(node)}`;
}
