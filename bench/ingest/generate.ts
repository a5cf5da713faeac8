// Generators of large, realistic flow files for the ingest benchmarks: AWS VPC flow logs
// (version 2 default layout) and Zeek conn.log (ASCII, Zeek's default columns). Lines are
// built in blocks and appended with one write per block, so a 5 GB file streams out in a
// few MB of memory.
import { closeSync, openSync, writeSync } from 'node:fs';

/** A small deterministic generator (xorshift32): the same seed gives the same file. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state % n;
  }
}

// An estate of a few thousand hosts, as one VPC sees it: 2 000 interfaces of our own in
// 10.0.0.0/16, and 3 000 outside addresses from the documentation ranges.
const INSIDE = 2_000;
const OUTSIDE = 3_000;
const SERVER_PORTS = [443, 80, 22, 5432, 3306, 6379, 8080, 9090, 53, 123, 8443, 27017];
const OUTSIDE_NETS = ['192.0.2', '198.51.100', '203.0.113'];
const START = 1_700_000_000; // 2023-11-14, epoch seconds

function inside(i: number): string {
  return `10.0.${i >> 8}.${i & 255}`;
}

function outside(i: number): string {
  return `${OUTSIDE_NETS[i % 3]!}.${1 + (((i / 3) | 0) % 254)}`;
}

/** The next line of a VPC flow log; `line` is its number, which drives the clock. */
export function vpcLine(rng: Random, line: number): string {
  const start = START + ((line / 2_000) | 0);
  const eni = `eni-0${(100_000_000 + rng.below(INSIDE)).toString(16)}a1b2c3d4`;
  const roll = rng.below(1_000);
  if (roll < 15) return `2 123456789010 ${eni} - - - - - - - ${start} ${start + 60} - NODATA`;

  const client = roll < 300 ? outside(rng.below(OUTSIDE)) : inside(rng.below(INSIDE));
  const server = inside(rng.below(INSIDE));
  const port = SERVER_PORTS[rng.below(SERVER_PORTS.length)]!;
  const ephemeral = 32_768 + rng.below(28_000);
  const protocol = port === 53 || port === 123 ? 17 : 6;
  const packets = 1 + rng.below(400);
  const bytes = packets * (40 + rng.below(1_400));
  const action = roll < 150 ? 'REJECT' : 'ACCEPT';
  // Half the records are the reply side, as the server's interface logs them.
  const reply = rng.below(2) === 0;
  const ends = reply
    ? `${server} ${client} ${port} ${ephemeral}`
    : `${client} ${server} ${ephemeral} ${port}`;
  return `2 123456789010 ${eni} ${ends} ${protocol} ${packets} ${bytes} ${start} ${start + 1 + rng.below(59)} ${action} OK`;
}

const ZEEK_FIELDS = [
  'ts',
  'uid',
  'id.orig_h',
  'id.orig_p',
  'id.resp_h',
  'id.resp_p',
  'proto',
  'service',
  'duration',
  'orig_bytes',
  'resp_bytes',
  'conn_state',
  'local_orig',
  'local_resp',
  'missed_bytes',
  'history',
  'orig_pkts',
  'orig_ip_bytes',
  'resp_pkts',
  'resp_ip_bytes',
  'tunnel_parents',
  'ip_proto',
];
const ZEEK_TYPES =
  'time\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\tcount';

/** The header Zeek writes at the top of conn.log. */
export function zeekHeader(): string {
  return [
    '#separator \\x09',
    '#set_separator\t,',
    '#empty_field\t(empty)',
    '#unset_field\t-',
    '#path\tconn',
    '#open\t2023-11-14-22-13-20',
    `#fields\t${ZEEK_FIELDS.join('\t')}`,
    `#types\t${ZEEK_TYPES}`,
  ].join('\n');
}

const SERVICES: Record<number, string> = { 443: 'ssl', 80: 'http', 22: 'ssh', 53: 'dns' };
const UID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The next line of a Zeek conn.log. */
export function zeekLine(rng: Random, line: number): string {
  const ts = `${START + ((line / 2_000) | 0)}.${String(rng.below(1_000_000)).padStart(6, '0')}`;
  let uid = 'C';
  for (let i = 0; i < 17; i++) uid += UID_CHARS[rng.below(UID_CHARS.length)]!;
  const roll = rng.below(1_000);
  const orig = roll < 300 ? outside(rng.below(OUTSIDE)) : inside(rng.below(INSIDE));
  const resp = inside(rng.below(INSIDE));
  const port = SERVER_PORTS[rng.below(SERVER_PORTS.length)]!;
  const udp = port === 53 || port === 123;
  const service = SERVICES[port] ?? '-';
  const ephemeral = 32_768 + rng.below(28_000);

  if (!udp && roll < 120) {
    // A refused or unanswered attempt: no duration, no bytes.
    const state = roll < 60 ? 'REJ' : 'S0';
    const history = state === 'REJ' ? 'Sr' : 'S';
    const resp1 = state === 'REJ' ? 1 : 0;
    return `${ts}\t${uid}\t${orig}\t${ephemeral}\t${resp}\t${port}\ttcp\t-\t-\t-\t-\t${state}\tF\tT\t0\t${history}\t1\t60\t${resp1}\t${resp1 * 40}\t-\t6`;
  }
  const origPkts = 1 + rng.below(200);
  const respPkts = 1 + rng.below(300);
  const origBytes = origPkts * rng.below(600);
  const respBytes = respPkts * rng.below(1_400);
  const duration = `${rng.below(120)}.${String(rng.below(1_000_000)).padStart(6, '0')}`;
  const proto = udp ? 'udp' : 'tcp';
  const state = udp ? 'SF' : rng.below(10) === 0 ? 'RSTO' : 'SF';
  const history = udp ? 'Dd' : state === 'SF' ? 'ShADadFf' : 'ShADadR';
  return `${ts}\t${uid}\t${orig}\t${ephemeral}\t${resp}\t${port}\t${proto}\t${service}\t${duration}\t${origBytes}\t${respBytes}\t${state}\tF\tT\t0\t${history}\t${origPkts}\t${origPkts * 40 + origBytes}\t${respPkts}\t${respPkts * 40 + respBytes}\t-\t${udp ? 17 : 6}`;
}

/** What to write: a line maker, an optional header, and when to stop. */
export interface GenerateOptions {
  readonly line: (rng: Random, line: number) => string;
  readonly header?: string;
  /** Stop after this many lines (the header not counted)… */
  readonly lines?: number;
  /** …or once the file holds at least this many bytes. */
  readonly bytes?: number;
  readonly seed?: number;
}

/** Writes a generated file and returns its line count (header included) and size. */
export function generateFile(
  file: string,
  options: GenerateOptions,
): { lines: number; bytes: number } {
  const rng = new Random(options.seed ?? 20_231_114);
  const maxLines = options.lines ?? Number.MAX_SAFE_INTEGER;
  const maxBytes = options.bytes ?? Number.MAX_SAFE_INTEGER;
  const fd = openSync(file, 'w');
  let lines = 0;
  let bytes = 0;
  try {
    if (options.header !== undefined) {
      bytes += writeSync(fd, `${options.header}\n`);
      lines += options.header.split('\n').length;
    }
    let written = 0;
    while (written < maxLines && bytes < maxBytes) {
      const block: string[] = [];
      const end = Math.min(maxLines, written + 20_000);
      for (; written < end; written++) block.push(options.line(rng, written));
      bytes += writeSync(fd, `${block.join('\n')}\n`);
      lines += block.length;
    }
  } finally {
    closeSync(fd);
  }
  return { lines, bytes };
}
