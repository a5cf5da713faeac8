import { describe, expect, it } from 'vitest';

import type { Address, Workload } from '../../domain/index.js';
import type { MapEdge } from '../../map/index.js';
import { loadPolicy } from '../../policy/index.js';
import { scoreRisk } from './score-risk.js';
import { parseVulnCsv, parseVulnersOutput } from './vuln-csv.js';

describe('parseVulnCsv()', () => {
  it.each([
    {
      name: 'too few fields',
      row: 'web-1,CVE-2021-44228',
      want: /^v\.csv:2:1: .*expected 3 fields.*found 2/,
    },
    { name: 'too many fields', row: 'web-1,CVE-2021-44228,10,x', want: /found 4/ },
    { name: 'empty target', row: ' ,CVE-2021-44228,10', want: /^v\.csv:2:1: .*is empty/ },
    {
      name: 'bad CVE id',
      row: 'web-1,CVE-21-1,9.8',
      want: /^v\.csv:2:7: Cannot read CVE id "CVE-21-1"/,
    },
    { name: 'CVSS above 10', row: 'web-1,CVE-2021-44228,10.5', want: /^v\.csv:2:22: .*"10\.5"/ },
    { name: 'negative CVSS', row: 'web-1,CVE-2021-44228,-1', want: /"-1"/ },
    { name: 'CVSS not a number', row: 'web-1,CVE-2021-44228,high', want: /"high"/ },
    { name: 'CVSS exponent form', row: 'web-1,CVE-2021-44228,1e1', want: /"1e1"/ },
    { name: 'empty CVSS', row: 'web-1,CVE-2021-44228,', want: /Cannot read CVSS score ""/ },
  ])('rejects $name with its place', ({ row, want }) => {
    const { vulnerabilities, errors } = parseVulnCsv(`address,cve,cvss\n${row}\n`, 'v.csv');
    expect(vulnerabilities).toEqual([]);
    expect(errors.map((e) => e.describe()).join('\n')).toMatch(want);
  });

  it('keeps the good rows of a partly bad file, skipping blanks and comments', () => {
    const text =
      '# scan of 2026-01-05\nweb-1,CVE-2021-44228,10.0\n\n198.18.0.2,cve-2023-38408,9.8\nbad\n';
    const { vulnerabilities, errors } = parseVulnCsv(text, 'v.csv');
    expect(vulnerabilities).toEqual([
      { target: 'web-1', cve: 'CVE-2021-44228', cvss: 10, source: 'v.csv:2' },
      { target: '198.18.0.2', cve: 'CVE-2023-38408', cvss: 9.8, source: 'v.csv:4' },
    ]);
    expect(errors.map((e) => e.place?.line)).toEqual([5]);
  });
});

describe('parseVulnersOutput()', () => {
  it('reads CVE ids and scores from the vulners script lines', () => {
    const text =
      '| vulners:\n|   cpe:/a:openbsd:openssh:8.2p1:\n|     CVE-2023-38408  9.8  https://vulners.com/cve/CVE-2023-38408\n|     CVE-2020-15778  6.8  https://vulners.com/cve/CVE-2020-15778\n';
    expect(parseVulnersOutput(text, 'db-1').map((v) => [v.cve, v.cvss])).toEqual([
      ['CVE-2023-38408', 9.8],
      ['CVE-2020-15778', 6.8],
    ]);
  });
});

describe('scoreRisk()', () => {
  const w = (name: string, address: string, labels: Record<string, string>): Workload => ({
    name,
    addresses: [address as Address],
    labels,
    discovered: false,
  });
  const workloads = [
    w('web-1', '198.18.0.1', { role: 'web' }),
    w('web-2', '198.18.0.2', { role: 'web' }),
    w('db-1', '198.18.0.11', { role: 'db', data: 'pci', criticality: 'high' }),
  ];
  const edge = (client: string, server: string, port: number): MapEdge => ({
    client,
    server,
    protocol: 6,
    port,
    service: `tcp/${port}`,
    flows: 1,
    rejected: 0,
    packets: 2,
    bytes: 100,
    firstSeen: 0,
    lastSeen: 1,
    evidence: 'handshake',
  });
  const edges = [edge('web-1', 'db-1', 5432), edge('web-1', 'web-2', 443)];
  const { policy } = loadPolicy(
    [
      'version: 1',
      'networks: {internet: {cidrs: [0.0.0.0/0], except: [198.18.0.0/15]}}',
      'rules:',
      '  - {id: web-db, from: {role: web}, to: {role: db}, services: [tcp/5432]}',
      '  - {id: in, from: network:internet, to: {role: web}, services: [tcp/443]}',
    ].join('\n'),
    'p.yaml',
  );

  it('explains each term and sorts the riskiest first', () => {
    const scores = scoreRisk(workloads, policy, edges, [
      { target: '198.18.0.11', cve: 'CVE-2021-44228', cvss: 10, source: 'v.csv:2' },
    ]);
    expect(scores.map((s) => s.workload)).toEqual(['db-1', 'web-2', 'web-1']);
    const db = scores[0]!;
    // exposure: 2 of 2 others → 10 × 1 = 10; sensitivity: pci 4 + high 4 = 8; vulns: 10.
    expect(db.terms.map((t) => [t.term, t.value])).toEqual([
      ['exposure', 10],
      ['sensitivity', 8],
      ['vulnerabilities', 10],
    ]);
    expect(db.score).toBeCloseTo(0.4 * 10 + 0.3 * 8 + 0.3 * 10, 5);
    const web2 = scores[1]!;
    // Nobody inside may open tcp/443 on web-2, the internet may: 0 + 4.
    expect(web2).toMatchObject({ reachableFrom: 0, internet: true, networks: ['internet'] });
    expect(web2.terms[0]).toMatchObject({ value: 4 });
  });

  it('takes a flat network when there is no policy', () => {
    const scores = scoreRisk(workloads, undefined, edges, []);
    expect(scores.find((s) => s.workload === 'web-2')!.reachableFrom).toBe(2);
  });
});
