import { describe, expect, it } from 'vitest';

import { Lab, kernelTestsUnavailable, liveNamespacesForTest, run } from './netns.js';
import { probeFrom, startListener } from './probes.js';

const unavailable = kernelTestsUnavailable();

function existingNamespaces(): string[] {
  return run('ip', ['netns', 'list'])
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name !== '');
}

describe.skipIf(unavailable !== undefined)(
  `Lab${unavailable === undefined ? '' : ` (skipped: ${unavailable})`}`,
  () => {
    it('joins hosts on a bridge, isolated from the host network, and deletes them', async () => {
      const lab = Lab.create(['a', 'b']);
      try {
        const names = [lab.hub, ...lab.hosts.map((host) => host.netns)];
        expect(names.every((name) => name.startsWith(`bh${process.pid}n`))).toBe(true);
        expect(existingNamespaces()).toEqual(expect.arrayContaining(names));
        // Only lo and eth0 inside a host: no route to anything but the lab.
        const links = lab.exec(lab.host('a'), ['ip', '-o', 'link', 'show']);
        expect(links.split('\n').filter((line) => line !== '').length).toBe(2);

        await startListener(lab, lab.host('b'), { tcp: [7000], udp: [7001] });
        const b = lab.host('b');
        const open = await probeFrom(lab, lab.host('a'), [
          { protocol: 'tcp', address: b.v4, port: 7000 },
          { protocol: 'udp', address: b.v6, port: 7001 },
          { protocol: 'tcp', address: b.v4, port: 7002 },
        ]);
        expect(open).toEqual([true, true, false]);
      } finally {
        lab.destroy();
      }
      expect(liveNamespacesForTest()).toEqual([]);
      expect(existingNamespaces().filter((name) => name.startsWith(`bh${process.pid}n`))).toEqual(
        [],
      );
    });

    it('deletes the namespaces when a test body throws', () => {
      let hub = '';
      expect(() => {
        const lab = Lab.create(['only']);
        hub = lab.hub;
        try {
          throw new Error('test failed');
        } finally {
          lab.destroy();
        }
      }).toThrow('test failed');
      expect(existingNamespaces()).not.toContain(hub);
    });

    it('refuses an empty or oversized lab before creating anything', () => {
      expect(() => Lab.create([])).toThrow(RangeError);
      expect(liveNamespacesForTest()).toEqual([]);
    });
  },
);
