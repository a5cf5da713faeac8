/**
 * nftables quoted strings end at the first `"` and the kernel keeps comments as user data
 * of at most 128 bytes here (NFT_USERDATA_MAXLEN is 256; nft itself refuses comments over
 * 128). Anything outside printable ASCII becomes `_` so one rule id cannot break the file.
 */
const COMMENT_MAX = 128;

/**
 * The kernel refuses log prefixes over 127 bytes (NF_LOG_PREFIXLEN 128); we keep them
 * within 64 characters, the NFLOG limit of iptables' `--nflog-prefix`, so that the same
 * prefix reads whole in every log consumer and on the iptables backend.
 */
export const LOG_PREFIX_MAX = 64;

/** A double-quoted nft string holding only printable ASCII without quotes. */
export function quote(text: string, max = COMMENT_MAX): string {
  const safe = text.replace(/[^\x20-\x7e]|["\\]/g, '_').slice(0, max);
  return `"${safe}"`;
}

/** A log prefix `bh deny <rule-id> ` cut to {@link LOG_PREFIX_MAX} with the space kept. */
export function logPrefix(head: string, ruleId: string): string {
  const room = LOG_PREFIX_MAX - head.length - 2;
  return quote(`${head} ${ruleId.slice(0, room)} `, LOG_PREFIX_MAX);
}

/**
 * A part of an nft identifier: letters, digits, `_` and `-` only (nft identifiers may not
 * hold spaces or quotes), at most 40 characters so set names stay readable in listings.
 */
export function slug(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 40);
  return cleaned === '' ? 'x' : cleaned;
}

/** Hands out identifiers and makes repeats unique with a numeric suffix. */
export function createNamer(): (base: string) => string {
  const used = new Set<string>();
  return (base) => {
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    return name;
  };
}
