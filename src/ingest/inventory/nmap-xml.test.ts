import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../domain/index.js';
import { isNmapXml, readNmapXml } from './nmap-xml.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bulkhead-nmap-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

function host(address: string, extra = '', state = 'up'): string {
  return `<host><status state="${state}"/>\n<address addr="${address}" addrtype="ipv4"/>${extra}</host>\n`;
}

const scan = (hosts: string): string =>
  `<?xml version="1.0"?>\n<!DOCTYPE nmaprun>\n<nmaprun scanner="nmap">\n${hosts}</nmaprun>\n`;

describe('readNmapXml() with bad input', () => {
  it.each([
    {
      name: 'mismatched tags',
      text: '<nmaprun>\n<host>\n</nmaprun>\n',
      want: "Expected closing tag 'host'",
      line: 3,
    },
    {
      name: 'an unclosed attribute',
      text: '<nmaprun>\n<host a="1>\n</nmaprun>',
      want: 'not well-formed XML',
      line: 2,
    },
    { name: 'text, not XML', text: 'name,addresses\n', want: 'not well-formed XML', line: 1 },
    {
      name: 'another root element',
      text: '<?xml version="1.0"?>\n<root/>\n',
      want: 'the root element is not <nmaprun>',
      line: undefined,
    },
  ])('refuses $name, naming file and line', async ({ name, text, want, line }) => {
    const file = await write(`${name}.xml`, text);
    const error = await readNmapXml(file).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain(want);
    expect((error as InputError).message).toContain(file);
    expect((error as InputError).place?.line).toBe(line);
  });

  it('refuses an XXE probe without resolving the entity', async () => {
    const secret = await write('secret.txt', 'TOP-SECRET-CONTENT');
    const text = `<?xml version="1.0"?>\n<!DOCTYPE nmaprun [\n<!ENTITY ee SYSTEM "file://${secret}">\n]>\n<nmaprun><host><status state="up"/><address addr="198.18.0.1" addrtype="ipv4"/><hostnames><hostname name="&ee;"/></hostnames></host></nmaprun>\n`;
    const file = await write('xxe.xml', text);
    const error = await readNmapXml(file).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).describe()).toContain(`${file}:2: `);
    expect((error as InputError).message).toContain('DOCTYPE declares entities');
    expect(JSON.stringify(error)).not.toContain('TOP-SECRET');
  });

  it('refuses internal entity expansion (billion laughs) the same way', async () => {
    const text =
      '<!DOCTYPE nmaprun [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n<nmaprun>&b;</nmaprun>';
    await expect(readNmapXml(await write('laughs.xml', text))).rejects.toThrow(
      'DOCTYPE declares entities',
    );
  });

  it.each([
    {
      name: 'a bad address',
      hostXml: host('198.18.0.300'),
      want: 'host address "198.18.0.300" (ipv4) is not an IP address',
    },
    {
      name: 'only a MAC address',
      hostXml:
        '<host><status state="up"/>\n<address addr="02:42:AC:1C:01:03" addrtype="mac"/></host>\n',
      want: 'host has no ipv4 or ipv6 address',
    },
    {
      name: 'a bad port',
      hostXml: host(
        '198.18.0.9',
        '<ports><port protocol="tcp" portid="70000"><state state="open"/></port></ports>',
      ),
      want: 'port "tcp/70000" is not a protocol and port number',
    },
  ])(
    'rejects a host with $name, naming file and line, and keeps the others',
    async ({ name, hostXml, want }) => {
      const file = await write(
        `host-${name}.xml`,
        scan(host('198.18.0.1') + hostXml + host('198.18.0.2')),
      );
      const report = await readNmapXml(file);
      expect(report).toMatchObject({ format: 'nmap-xml', read: 3, rejected: 1 });
      expect(report.workloads.map((workload) => workload.name)).toEqual([
        '198.18.0.1',
        '198.18.0.2',
      ]);
      expect(report.issues).toEqual([{ file, line: 6, message: expect.stringContaining(want) }]);
    },
  );
});

describe('readNmapXml() with good input', () => {
  it('imports an up host with addresses, host names, open ports and the best OS match', async () => {
    const extra = `<address addr="2001:DB8::5" addrtype="ipv6"/><address addr="02:42:AC:1C:01:03" addrtype="mac"/>
<hostnames><hostname name="db.example.com" type="PTR"/><hostname name="db" type="user"/></hostnames>
<ports>
<port protocol="tcp" portid="5432"><state state="open"/><service name="postgresql"/></port>
<port protocol="udp" portid="53"><state state="open|filtered"/><service name="domain"/></port>
<port protocol="tcp" portid="22"><state state="closed"/></port>
<port protocol="sctp" portid="38412"><state state="open"/></port>
</ports>
<os><osmatch name="Linux 4.x" accuracy="90"/><osmatch name="Linux 5.x &amp; 6.x" accuracy="96"/></os>`;
    const report = await readNmapXml(
      await write('good.xml', scan(host('198.18.0.5', extra) + host('198.18.0.6', '', 'down'))),
    );
    expect(report).toMatchObject({ read: 2, rejected: 0 });
    expect(report.workloads).toEqual([
      {
        name: 'db.example.com',
        addresses: ['198.18.0.5', '2001:db8::5'],
        hostnames: ['db.example.com', 'db'],
        os: 'Linux 5.x & 6.x',
        openPorts: [
          { protocol: 6, port: 5432, service: 'postgresql' },
          { protocol: 132, port: 38412 },
        ],
        labels: {},
        discovered: false,
      },
    ]);
  });

  it('names a host after its address when its host name is taken', async () => {
    const named = '<hostnames><hostname name="lb"/></hostnames>';
    const report = await readNmapXml(
      await write('dup.xml', scan(host('198.18.0.1', named) + host('198.18.0.2', named))),
    );
    expect(report.workloads.map((workload) => workload.name)).toEqual(['lb', '198.18.0.2']);
  });
});

const NMAP = join(import.meta.dirname, '../../../../shared/data/nmap-xml');

describe(`readNmapXml() on ${NMAP}`, () => {
  // file, hosts read, open ports per workload imported (INVENTORY.tsv agrees).
  it.for([
    { file: '1_host_ping.xml', read: 1, ports: [0] },
    { file: '1_hosts.xml', read: 1, ports: [5] },
    { file: '1_hosts_banner.xml', read: 1, ports: [5] },
    { file: '1_hosts_banner_ports.xml', read: 1, ports: [2] },
    { file: '1_hosts_banner_ports_notsyn.xml', read: 1, ports: [2] },
    { file: '1_hosts_banner_ports_xmas.xml', read: 1, ports: [0] },
    { file: '1_hosts_diff.xml', read: 1, ports: [4] },
    { file: '1_hosts_down.xml', read: 1, ports: [0] },
    { file: '1_hosts_nohostname.xml', read: 1, ports: [0] },
    { file: '1_os_banner_scripts.xml', read: 1, ports: [8] },
    { file: '2_hosts.xml', read: 2, ports: [5, 3] },
    { file: '2_hosts_achange.xml', read: 2, ports: [4, 3] },
    { file: '2_hosts_version.xml', read: 2, ports: [5, 3] },
    { file: '2_null_hosts.xml', read: 2, ports: [0, 0] },
    { file: '2_tcp_hosts.xml', read: 2, ports: [5, 3] },
    { file: 'diff_1_host_ping_mac_changed.xml', read: 1, ports: [0] },
    { file: 'dionaea_scan.xml', read: 1, ports: [16] },
    { file: 'extra_ports.xml', read: 1, ports: [16] },
    { file: 'full_sudo5.xml', read: 256, ports: [6, 0, 3, 2] },
    { file: 'full_sudo6.xml', read: 256, ports: [6, 1, 2, 3] },
    { file: 'fullscan.xml', read: 256, ports: [6, 3] },
    { file: 'os_scan5.xml', read: 256, ports: [6, 0, 3, 2] },
    { file: 'os_scan6.xml', read: 256, ports: [6, 2, 3] },
  ])('$file: $read hosts read, $ports.length imported', async ({ file, read, ports }, ctx) => {
    ctx.skip(!existsSync(NMAP), `${NMAP} is absent`);
    const report = await readNmapXml(join(NMAP, file));
    expect(report).toMatchObject({ read, rejected: 0 });
    expect(report.workloads.map((workload) => workload.openPorts?.length)).toEqual(ports);
  });

  it('names workloads after host names and picks the best OS match', async (ctx) => {
    ctx.skip(!existsSync(NMAP), `${NMAP} is absent`);
    const report = await readNmapXml(join(NMAP, 'dionaea_scan.xml'));
    expect(report.workloads[0]).toMatchObject({ name: 'dionaea', os: 'Linux 4.15 - 5.6' });
    const sweep = await readNmapXml(join(NMAP, 'os_scan6.xml'));
    expect(sweep.workloads.map((workload) => workload.name)).toEqual([
      '192.168.1.1',
      '192.168.1.5',
      '192.168.1.3',
    ]);
  });

  it('test_osclass.xml: the one host is rejected, its address is the placeholder "IP"', async (ctx) => {
    ctx.skip(!existsSync(NMAP), `${NMAP} is absent`);
    const file = join(NMAP, 'test_osclass.xml');
    const report = await readNmapXml(file);
    expect(report).toMatchObject({ read: 1, workloads: [], rejected: 1 });
    expect(report.issues).toEqual([
      { file, line: 13, message: expect.stringContaining('host address "IP"') },
    ]);
  });

  it('defused_et_local_includer.xml: the XXE probe is refused, nothing resolved', async (ctx) => {
    ctx.skip(!existsSync(NMAP), `${NMAP} is absent`);
    const file = join(NMAP, 'defused_et_local_includer.xml');
    await expect(readNmapXml(file)).rejects.toThrow(`"${file}": its DOCTYPE declares entities`);
  });

  it('defused_et_included.xml: refused, it is not an nmap scan', async (ctx) => {
    ctx.skip(!existsSync(NMAP), `${NMAP} is absent`);
    await expect(readNmapXml(join(NMAP, 'defused_et_included.xml'))).rejects.toThrow(
      'the root element is not <nmaprun>',
    );
  });
});

describe('isNmapXml()', () => {
  it.each([
    { name: 'empty', text: '', want: false },
    { name: 'other XML', text: '<?xml version="1.0"?><root/>', want: false },
    { name: 'CSV that mentions nmaprun', text: 'name,<nmaprun>\n', want: false },
    {
      name: 'nmap output',
      text: '<?xml version="1.0"?>\n<!DOCTYPE nmaprun>\n<nmaprun scanner="nmap">',
      want: true,
    },
    { name: 'with a BOM', text: '\uFEFF<nmaprun>', want: true },
  ])('$name → $want', ({ text, want }) => {
    expect(isNmapXml(Buffer.from(text))).toBe(want);
  });
});
