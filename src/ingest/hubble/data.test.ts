import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Flow, Workload } from '../../domain/index.js';
import { readFileForTest } from '../json-records/testing.js';
import { readHubbleFlows } from './read.js';

const HUBBLE = join(import.meta.dirname, '../../../../shared/data/hubble-flows-bookinfo/hubble');

/** `client → server proto/port` by the `app` (or `k8s-app`) label of each side's pod. */
function appEdges(flows: readonly Flow[], pods: readonly Workload[]): Set<string> {
  const appOf = new Map<string, string>();
  for (const pod of pods) {
    const app = pod.labels.app ?? pod.labels['k8s-app'];
    if (app !== undefined) appOf.set(pod.addresses[0]!, app);
  }
  const edges = new Set<string>();
  for (const flow of flows) {
    const proto =
      flow.protocol === 6 ? 'tcp' : flow.protocol === 17 ? 'udp' : String(flow.protocol);
    edges.add(
      `${appOf.get(flow.src) ?? flow.src} → ${appOf.get(flow.dst) ?? flow.dst} ${proto}/${flow.dstPort}`,
    );
  }
  return edges;
}

/** Service ports of the captures: a flow from one of them would be a server's reply. */
const SERVICE_PORTS = new Set([53, 9080, 9090, 15090, 15020, 9901, 10054, 4240, 14250, 443, 8080]);

describe(`readHubbleFlows() on ${HUBBLE}`, () => {
  const present = existsSync(HUBBLE);
  const files = present
    ? readdirSync(HUBBLE)
        .filter((name) => name.endsWith('.json'))
        .sort()
    : [];

  it('reads every capture; counts per file', async (ctx) => {
    ctx.skip(!present, `${HUBBLE} is absent`);
    const counts: Record<string, unknown> = {};
    for (const name of files) {
      const { report } = await readFileForTest(readHubbleFlows, join(HUBBLE, name));
      counts[name] = {
        read: report.read,
        flows: report.flows,
        skipped: report.skipped,
        rejected: report.rejected,
      };
    }
    expect(counts).toMatchInlineSnapshot(`
      {
        "basic-sample-10-flows.json": {
          "flows": 1,
          "read": 10,
          "rejected": 0,
          "skipped": {
            "reply": 5,
            "reply status unknown": 4,
          },
        },
        "basic-sample-330-dns-flows.json": {
          "flows": 165,
          "read": 330,
          "rejected": 0,
          "skipped": {
            "reply": 165,
          },
        },
        "basic-sample-348-http-flows.json": {
          "flows": 175,
          "read": 348,
          "rejected": 0,
          "skipped": {
            "reply": 173,
          },
        },
        "basic-sample-400-icmpv4-flows.json": {
          "flows": 11,
          "read": 18,
          "rejected": 0,
          "skipped": {
            "reply": 7,
          },
        },
        "basic-sample-400-l7-redirected-flows.json": {
          "flows": 400,
          "read": 400,
          "rejected": 0,
          "skipped": {},
        },
        "basic-sample-400-tcp-flows.json": {
          "flows": 222,
          "read": 400,
          "rejected": 0,
          "skipped": {
            "reply": 133,
            "reply status unknown": 45,
          },
        },
        "basic-sample-400-udp-flows.json": {
          "flows": 178,
          "read": 400,
          "rejected": 0,
          "skipped": {
            "reply": 148,
            "reply status unknown": 74,
          },
        },
        "basic-sample-5-dns-flows.json": {
          "flows": 3,
          "read": 5,
          "rejected": 0,
          "skipped": {
            "reply": 2,
          },
        },
        "basic-sample-5-http-flows.json": {
          "flows": 3,
          "read": 5,
          "rejected": 0,
          "skipped": {
            "reply": 2,
          },
        },
      }
    `);
  });

  it('no reply becomes a flow: every flow runs client → server, bare SYNs are handshakes', async (ctx) => {
    ctx.skip(!present, `${HUBBLE} is absent`);
    for (const name of files) {
      const { flows } = await readFileForTest(readHubbleFlows, join(HUBBLE, name));
      const fromServer = flows.filter(
        (flow) =>
          flow.protocol !== 1 &&
          SERVICE_PORTS.has(flow.srcPort) &&
          !SERVICE_PORTS.has(flow.dstPort),
      );
      expect(fromServer, name).toEqual([]);
      for (const flow of flows.filter((f) => f.origin === 'handshake')) {
        expect(flow.tcpFlags! & 0x12, name).toBe(0x02);
      }
    }
    const { flows } = await readFileForTest(
      readHubbleFlows,
      join(HUBBLE, 'basic-sample-400-tcp-flows.json'),
    );
    expect(flows.filter((flow) => flow.origin === 'handshake')).toHaveLength(70);
  });

  it('the client → server set by app label', async (ctx) => {
    ctx.skip(!present, `${HUBBLE} is absent`);
    const all = new Set<string>();
    for (const name of files) {
      const { flows, workloads } = await readFileForTest(readHubbleFlows, join(HUBBLE, name));
      for (const edge of appEdges(flows, workloads)) all.add(edge);
    }
    for (const edge of [
      'productpage → details tcp/9080',
      'productpage → reviews tcp/9080',
      'reviews → ratings tcp/9080',
      // the capture's test client runs in the ratings pods
      'ratings → productpage tcp/9080',
      'productpage → kube-dns udp/53',
      'ratings → kube-dns udp/53',
      'node-local-dns → kube-dns tcp/53',
      'prometheus → kube-dns tcp/10054',
      'prometheus → node-local-dns tcp/9253',
    ]) {
      expect(all, edge).toContain(edge);
    }
    // no edge runs the other way: servers never appear as clients of their callers
    for (const reversed of [
      'details → productpage',
      'reviews → productpage',
      'ratings → reviews',
      'kube-dns → ',
    ]) {
      expect([...all].filter((edge) => edge.startsWith(reversed))).toEqual([]);
    }
    expect([...all].sort()).toMatchInlineSnapshot(`
      [
        "10.0.2.1 → kube-dns tcp/10054",
        "10.156.2.8 → 10.156.0.10 tcp/9080",
        "10.244.0.148 → 10.244.0.160 1/8",
        "10.244.0.148 → 10.244.1.204 1/8",
        "10.244.0.148 → jaeger tcp/14269",
        "10.244.0.148 → productpage tcp/9080",
        "10.244.0.148 → reviews tcp/9080",
        "10.244.0.8 → 172.19.0.3 tcp/4244",
        "10.244.0.8 → jaeger tcp/14250",
        "10.244.1.136 → jaeger tcp/14250",
        "10.244.1.29 → 10.244.0.160 1/8",
        "10.244.1.29 → ratings tcp/9080",
        "node-local-dns → kube-dns tcp/53",
        "productpage → details tcp/9080",
        "productpage → kube-dns udp/53",
        "productpage → reviews tcp/9080",
        "prometheus → 10.128.0.3 tcp/8888",
        "prometheus → 10.128.0.3 tcp/9990",
        "prometheus → 10.128.0.4 tcp/6942",
        "prometheus → 10.128.0.4 tcp/9990",
        "prometheus → 10.128.0.5 tcp/9990",
        "prometheus → 10.128.0.6 tcp/9990",
        "prometheus → 10.156.0.11 tcp/8888",
        "prometheus → 10.156.0.2 tcp/9253",
        "prometheus → 10.156.1.2 tcp/9253",
        "prometheus → 10.156.3.12 tcp/14269",
        "prometheus → 10.156.3.6 tcp/10054",
        "prometheus → 10.156.3.7 tcp/9253",
        "prometheus → kube-dns tcp/10054",
        "prometheus → node-local-dns tcp/9253",
        "ratings → 10.156.2.8 tcp/9080",
        "ratings → kube-dns udp/53",
        "ratings → productpage tcp/9080",
        "reviews → ratings tcp/9080",
      ]
    `);
  });
});
