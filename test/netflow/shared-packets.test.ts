import { describe, expect, it } from 'vitest';

import type { Flow } from '../../src/domain/index.js';
import { createNetflowDecoder } from '../../src/ingest/netflow/index.js';
import type { NetflowIssue } from '../../src/ingest/netflow/index.js';
import { HAS_PACKETS, PACKETS_DIR, readManifest, readPayload } from './shared-data.js';
import { hasProgram, tsharkRecords } from './tshark.js';

const EXPORTER = { address: '198.18.0.1', port: 40000 };

/**
 * Flows decoded per MANIFEST context, in MANIFEST order. Contexts with 0 flows hold only
 * templates or options data (sampling), data whose template never arrives, or records
 * without addresses (Cisco WLC reports per client MAC).
 */
const FLOWS_PER_CONTEXT: readonly [string, number][] = [
  ['Netflow 5 valid 01', 2],
  ['Netflow 5 invalid 01', 0],
  ['Netflow 5 invalid 02', 0],
  ['Netflow 9 valid 01', 7],
  ['Netflow 9 macaddress', 29],
  ['Netflow 9 Cisco ACI', 3],
  ['Netflow 9 Cisco ASA', 14],
  ['Netflow 9 multiple netflow exporters', 8],
  ['Netflow 9 invalid 01', 2],
  ['Netflow 9 options template with scope fields', 0],
  ['IPFIX', 6],
  ['Netflow 9 Cisco ASA #2', 19],
  ['IPFIX OpenBSD pflow', 26],
  ['Netflow5 mikrotik', 30],
  ['Netflow5 Juniper MX80', 29],
  ['Netflow 9 ipt_netflow reduced size encoding', 12],
  ['Netflow 9 H3C', 16],
  ['Netflow 9 IE150 IE151', 2],
  ['Netflow 9 Palo Alto 1 flowset in large zero filled packet', 1],
  ['Netflow 9 H3C Netstream with varstring', 1],
  ['Netflow 9 Fortigate FortiOS 54x appid', 17],
  ['IPFIX from IXIA something something', 1],
  ['IPFIX options template from Juniper MX240 JunOS 15.1 R6 S3', 0],
  ['IPFIX Nokia BRAS', 1],
  ['IPFIX Procera', 8],
  ['IPFIX Barracuda extended uniflow template 256', 2],
  ['Netflow 9 Ubiquiti Edgerouter with MPLS labels', 16],
  ['Netflow 9 nprobe DPI L7', 1],
  ['Netflow 9 Fortigate FortiOS 5.2.1', 1],
  ['Netflow 9 Streamcore', 4],
  ['IPFIX Mikrotik RouterOS 6.39.2', 46],
  ['IPFIX Netscaler with variable length fields', 3],
  ['IPFIX VMware virtual distributed switch', 5],
  ['Juniper SRX options template with 0 scope field length', 0],
  ['Netflow 9 template with 0 length fields', 10],
  ['Netflow 9 Cisco ASR 9000 series options template 256', 0],
  ['Netflow 9 Huawei Netstream', 1],
  ['Netflow 9 field layer2segmentid', 1],
  ['Netflow 9 Cisco ASR 9000 series template 260', 21],
  ['Netflow 9 Cisco NBAR options template 260', 0],
  ['Netflow 9 Cisco NBAR flowset 262', 5],
  ['Netflow 9 Cisco WLC', 0],
  ['Netflow 9 Cisco WLC 8500 release 8.2', 0],
  ['Netflow 9 Cisco 1941/K9 release 15.1', 29],
  ['Netflow 9 Cisco ASR1001-X', 25],
  ['Netflow 9 Palo Alto PAN-OS with app-id', 8],
  ['IPFIX vIPtela with VPN id', 1],
  ['IPFIX Barracuda firewall', 8],
  ['IPFIX YAF basic with applabel', 2],
  ['IPFIX Netscaler with variable length fields, missing templates', 0],
  ['IPFIX Netscaler with variable length fields', 3],
];

interface Decoded {
  readonly perPacket: Flow[][];
  readonly issues: NetflowIssue[];
  readonly payloads: Uint8Array[];
}

function decodeContext(files: readonly string[]): Decoded {
  const issues: NetflowIssue[] = [];
  const decoder = createNetflowDecoder({ onIssue: (issue) => issues.push(issue) });
  const payloads = files.map(readPayload);
  const perPacket = payloads.map((payload) => {
    const flows: Flow[] = [];
    decoder.decode(payload, EXPORTER, (flow) => flows.push(flow));
    return flows;
  });
  return { perPacket, issues, payloads };
}

describe.skipIf(!HAS_PACKETS)(`shared NetFlow/IPFIX samples (${PACKETS_DIR})`, () => {
  const contexts = HAS_PACKETS ? readManifest() : [];

  it('MANIFEST lists the contexts this test pins', () => {
    expect(contexts.map((c) => c.name)).toEqual(FLOWS_PER_CONTEXT.map(([name]) => name));
  });

  it.each(FLOWS_PER_CONTEXT.map(([name, flows], index) => ({ name, flows, index })))(
    'decode() yields $flows flows for context "$name"',
    ({ flows, index }) => {
      const decoded = decodeContext(contexts[index]!.files);
      expect(decoded.perPacket.flat()).toHaveLength(flows);
    },
  );

  it('decode() rejects the two invalid v5 payloads with a reason', () => {
    const issues = ['netflow5_test_invalid01.dat', 'netflow5_test_invalid02.dat'].flatMap((file) =>
      decodeContext([file]).issues.map((issue) => issue.reason),
    );
    expect(issues).toEqual(['v5-count', 'v5-count']);
  });

  it('decode() applies the v5 header sampling interval (Juniper MX80 samples 1 in 1000)', () => {
    const [flows] = decodeContext(['netflow5_test_juniper_mx80.dat']).perPacket;
    expect(flows?.[0]).toMatchObject({ packets: 1000, bytes: 1_500_000 });
  });

  it('decode() reads RFC 5103 reverse counters (YAF biflows)', () => {
    const decoded = decodeContext(contexts.find((c) => c.name.startsWith('IPFIX YAF'))!.files);
    expect(decoded.perPacket.flat()[0]).toMatchObject({ packetsReverse: 2, bytesReverse: 200 });
  });
});

/**
 * Payload sets (templates first) whose records are compared with tshark's decoding:
 * v5, v9 and IPFIX from several vendors. Unsampled exporters only: tshark shows raw
 * counters, Bulkhead scales them by the sampling rate. The H3C sample is left out:
 * tshark stops at its first record ("Trying to fetch an IPv4 address with length 2" on
 * a 2-byte field it types as IPv4) while Bulkhead decodes all 16.
 */
const TSHARK_SAMPLES: readonly (readonly string[])[] = [
  ['netflow5.dat'],
  ['netflow5_test_microtik.dat'],
  ['netflow9_test_valid01.dat'],
  ['netflow9_test_macaddr_tpl.dat', 'netflow9_test_macaddr_data.dat'],
  ['netflow9_test_cisco_aci_tpl256-258.dat', 'netflow9_test_cisco_aci_data256.dat'],
  ['netflow9_test_cisco_1941K9.dat'],
  ['netflow9_cisco_asr1001x_tpl259.dat'],
  [
    'netflow9_test_ubnt_edgerouter_tpl.dat',
    'netflow9_test_ubnt_edgerouter_data1024.dat',
    'netflow9_test_ubnt_edgerouter_data1025.dat',
  ],
  [
    'netflow9_test_fortigate_fortios_542_appid_tpl258-269.dat',
    'netflow9_test_fortigate_fortios_542_appid_data258_262.dat',
  ],
  ['netflow9_test_paloalto_panos_tpl.dat', 'netflow9_test_paloalto_panos_data.dat'],
  ['ipfix.dat'],
  ['ipfix_test_openbsd_pflow_tpl.dat', 'ipfix_test_openbsd_pflow_data.dat'],
  [
    'ipfix_test_mikrotik_tpl.dat',
    'ipfix_test_mikrotik_data258.dat',
    'ipfix_test_mikrotik_data259.dat',
  ],
  [
    'ipfix_test_vmware_vds_tpl.dat',
    'ipfix_test_vmware_vds_data264.dat',
    'ipfix_test_vmware_vds_data266.dat',
  ],
  ['ipfix_test_barracuda_tpl.dat', 'ipfix_test_barracuda_data256.dat'],
  ['ipfix_test_viptela_tpl257.dat', 'ipfix_test_viptela_data257.dat'],
];

const HAS_TSHARK = hasProgram('tshark') && hasProgram('text2pcap');
const skipReason = !HAS_PACKETS
  ? `needs ${PACKETS_DIR}`
  : !HAS_TSHARK
    ? 'needs tshark and text2pcap (Debian package tshark)'
    : '';

/** The fields of a flow that tshark shows for its record, for a like-for-like comparison. */
function comparable(flow: Flow): Record<string, unknown> {
  const ports = flow.protocol === 6 || flow.protocol === 17;
  return {
    src: flow.src,
    dst: flow.dst,
    protocol: flow.protocol,
    ...(ports ? { srcPort: flow.srcPort, dstPort: flow.dstPort } : {}),
  };
}

describe.skipIf(skipReason !== '')(`decode() agrees with tshark ${skipReason}`, () => {
  it.each(TSHARK_SAMPLES.map((files) => ({ name: files.at(-1)!, files })))(
    'records of $name',
    ({ files }) => {
      const decoded = decodeContext(files);
      const theirs = tsharkRecords(decoded.payloads);
      let compared = 0;
      decoded.perPacket.forEach((ours, packet) => {
        const records = theirs[packet] ?? [];
        expect(ours).toHaveLength(records.length);
        ours.forEach((flow, i) => {
          const record = records[i]!;
          const want: Record<string, unknown> = {
            src: record.src,
            dst: record.dst,
            protocol: record.protocol ?? 0,
          };
          if (flow.protocol === 6 || flow.protocol === 17) {
            want.srcPort = record.srcPort ?? 0;
            want.dstPort = record.dstPort ?? 0;
          }
          expect(comparable(flow)).toEqual(want);
          if (record.packets !== undefined) expect(flow.packets).toBe(record.packets);
          if (record.bytes !== undefined) expect(flow.bytes).toBe(record.bytes);
          compared += 1;
        });
      });
      expect(compared).toBeGreaterThan(0);
    },
  );
});
