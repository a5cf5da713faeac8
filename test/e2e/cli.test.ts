import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BIN, HAS_BUILD, ROOT, bulkhead, tempDir } from './cli.js';

const why = `needs the build (${BIN}): run "npm run build"`;

describe.skipIf(!HAS_BUILD)(`bulkhead command line${HAS_BUILD ? '' : ` (skipped: ${why})`}`, () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('cli');
    expect(bulkhead(undefined, 'init', dir).code).toBe(0);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 2 and names the file when a flow file has no known format', () => {
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'hello\nworld\n');
    const run = bulkhead(dir, 'ingest', file);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file}: Cannot tell the format of the file`);
  });

  it('keeps the good records of a partly bad VPC flow log and reports the bad line', () => {
    const file = join(dir, 'vpc.log');
    writeFileSync(
      file,
      [
        '2 123456789010 eni-1235b8ca123456789 198.18.0.1 198.18.0.2 49761 3389 6 20 4249 1418530010 1418530070 ACCEPT OK',
        '2 123456789010 eni-1235b8ca123456789 198.18.0.3 198.18.0.2 49762 http 6 20 4249 1418530010 1418530070 ACCEPT OK',
        '2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA',
      ].join('\n') + '\n',
    );
    const run = bulkhead(dir, 'ingest', file, '--output', 'json');
    expect(run.code).toBe(1); // rejected records are findings
    const [summary] = JSON.parse(run.stdout) as {
      flows: number;
      rejected: number;
      skipped: Record<string, number>;
      issues: { line: number; message: string }[];
    }[];
    expect(summary).toMatchObject({ flows: 1, rejected: 1, skipped: { NODATA: 1 } });
    expect(summary!.issues[0]).toMatchObject({ line: 2 });
    expect(summary!.issues[0]!.message).toContain('"http"');
  });

  it('check reports every mistake of a policy with its position, and exits 1', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      [
        'version: 1',
        'services:',
        '  web: tcp/8080-80',
        'networks:',
        '  lab: {cidrs: [198.18.0.0/33]}',
        'tiers:',
        '  - name: main',
        '    rules:',
        '      - id: a',
        '        from: network:nowhere',
        '        to: any',
        '        services: [web]',
        '      - id: a',
        '        action: permit',
        '        from: any',
        '        to: any',
        '        services: [udp/70000]',
      ].join('\n') + '\n',
    );
    const run = bulkhead(dir, 'check', file);
    expect(run.code).toBe(1);
    const errors = run.stdout.split('\n').filter((l) => l.includes(': error '));
    expect(errors.length).toBeGreaterThanOrEqual(5);
    for (const line of errors)
      expect(line).toMatch(
        new RegExp(`^${file.replace(/[.]/g, '\\.')}:\\d+:\\d+: error \\[[a-z_]+\\] `),
      );
  });

  it('query prints the verdict and the deciding rule, as JSON for scripts', () => {
    const file = join(dir, 'ok.yaml');
    writeFileSync(
      file,
      [
        'version: 1',
        'tiers:',
        '  - name: guard',
        '    rules:',
        '      - {id: no-dev, action: deny, from: {env: dev}, to: {env: prod}, services: any}',
        '  - name: apps',
        '    rules:',
        '      - {id: web-db, from: {role: web}, to: {role: db}, services: [tcp/5432]}',
      ].join('\n') + '\n',
    );
    const allow = JSON.parse(
      bulkhead(
        dir,
        'query',
        file,
        '--from',
        'role=web,env=prod',
        '--to',
        'role=db,env=prod',
        '--service',
        'tcp/5432',
        '--output',
        'json',
      ).stdout,
    ) as Record<string, unknown>;
    expect(allow).toMatchObject({ verdict: 'allow', rule: 'web-db', tier: 'apps' });
    const deny = JSON.parse(
      bulkhead(
        dir,
        'query',
        file,
        '--from',
        'role=web,env=dev',
        '--to',
        'role=db,env=prod',
        '--service',
        'tcp/5432',
        '--output',
        'json',
      ).stdout,
    ) as Record<string, unknown>;
    expect(deny).toMatchObject({ verdict: 'deny', rule: 'no-dev', tier: 'guard' });
    const none = JSON.parse(
      bulkhead(
        dir,
        'query',
        file,
        '--from',
        '198.18.0.9',
        '--to',
        'role=db',
        '--service',
        'udp/53',
        '--output',
        'json',
      ).stdout,
    ) as Record<string, unknown>;
    expect(none).toMatchObject({ verdict: 'deny', rule: null, tier: null });
  });

  it('refuses to count the same file twice unless told to', () => {
    const file = join(dir, 'vpc.log');
    const again = bulkhead(dir, 'ingest', file);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('pass --again');
    expect(bulkhead(dir, 'ingest', file, '--again').code).toBe(1);
  });

  it('exits 2 with a fix when no workspace can be found', () => {
    const run = bulkhead(join(ROOT, 'no-such-workspace'), 'map');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('run "bulkhead init');
  });

  it('labels a workload and rejects a bad label naming the value', () => {
    const bad = bulkhead(dir, 'label', 'set', '198.18.0.1', 'Role=web');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"Role"');
    expect(bulkhead(dir, 'label', 'set', '198.18.0.1', 'role=web').code).toBe(0);
    const workloads = JSON.parse(bulkhead(dir, 'workloads', '--output', 'json').stdout) as {
      name: string;
      labels: Record<string, string>;
    }[];
    expect(workloads.find((w) => w.name === '198.18.0.1')?.labels).toEqual({ role: 'web' });
  });
});
