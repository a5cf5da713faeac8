/** The kinds of infrastructure service every estate needs, each proposed as a shared rule. */
export type InfrastructureKind = 'dns' | 'ntp' | 'dhcp' | 'directory' | 'monitoring' | 'backup';

/** A named service with its full definition, even the parts a short window may not show. */
export interface CatalogueService {
  readonly name: string;
  readonly specs: readonly string[];
}

interface Infrastructure {
  readonly reason: string;
  readonly services: readonly CatalogueService[];
}

/**
 * Infrastructure services Bulkhead recognises. A recognised service is proposed with its
 * whole definition (DNS on tcp/53 too, not only udp/53): resolvers fall back to TCP for
 * answers over 512 bytes, and Kerberos does for tickets too large for one datagram, so a
 * window that saw only UDP would otherwise yield a policy that breaks them later.
 */
export const INFRASTRUCTURE: Readonly<Record<InfrastructureKind, Infrastructure>> = {
  dns: {
    reason: 'name resolution, which every workload needs',
    services: [{ name: 'dns', specs: ['udp/53', 'tcp/53'] }],
  },
  ntp: {
    reason: 'time synchronisation (Kerberos and TLS fail when clocks drift)',
    services: [{ name: 'ntp', specs: ['udp/123'] }],
  },
  dhcp: {
    reason: 'address assignment',
    services: [
      { name: 'dhcp', specs: ['udp/67'] },
      { name: 'dhcpv6', specs: ['udp/547'] },
    ],
  },
  directory: {
    reason: 'directory and authentication (LDAP, Kerberos, Active Directory)',
    services: [
      { name: 'ldap', specs: ['tcp/389', 'udp/389'] },
      { name: 'ldaps', specs: ['tcp/636'] },
      { name: 'kerberos', specs: ['udp/88', 'tcp/88'] },
      { name: 'kpasswd', specs: ['udp/464', 'tcp/464'] },
      { name: 'ldap-gc', specs: ['tcp/3268'] },
      { name: 'ldap-gc-ssl', specs: ['tcp/3269'] },
    ],
  },
  monitoring: {
    reason: 'monitoring (SNMP, node-exporter, Prometheus, syslog)',
    services: [
      { name: 'snmp', specs: ['udp/161'] },
      { name: 'snmp-trap', specs: ['udp/162'] },
      { name: 'node-exporter', specs: ['tcp/9100'] },
      { name: 'prometheus', specs: ['tcp/9090'] },
      { name: 'syslog', specs: ['udp/514'] },
    ],
  },
  backup: {
    reason: 'backup (Bacula, NetBackup, rsync)',
    services: [
      { name: 'bacula', specs: ['tcp/9101-9103'] },
      { name: 'netbackup', specs: ['tcp/1556', 'tcp/13724'] },
      { name: 'rsync', specs: ['tcp/873'] },
    ],
  },
};

/** What the catalogue knows about one observed protocol/port. */
export interface InfrastructureMatch {
  readonly kind: InfrastructureKind;
  readonly service: CatalogueService;
}

const BY_PORT = buildIndex();

function buildIndex(): Map<string, InfrastructureMatch> {
  const index = new Map<string, InfrastructureMatch>();
  for (const [kind, entry] of Object.entries(INFRASTRUCTURE) as [
    InfrastructureKind,
    Infrastructure,
  ][]) {
    for (const service of entry.services) {
      for (const spec of service.specs) {
        const [proto, ports] = spec.split('/') as [string, string];
        const [first, last = first] = ports.split('-').map(Number) as [number, number?];
        for (let port = first; port <= last; port++) {
          index.set(`${proto}/${port}`, { kind, service });
        }
      }
    }
  }
  return index;
}

/** The infrastructure service an observed `tcp/53`-style service belongs to, if any. */
export function infrastructureOf(service: string): InfrastructureMatch | undefined {
  return BY_PORT.get(service);
}
