/**
 * Registered ports (1024 and above) that Bulkhead knows as server ports, with their usual
 * service names. Ports below 1024 are servers by convention already; this list lets a
 * conversation captured mid-session still be oriented when neither side's handshake was
 * seen, e.g. an HMI's ephemeral port 2301 against a PLC's EtherNet/IP port 44818.
 */
export const SERVICE_PORTS: ReadonlyMap<string, string> = new Map([
  ['tcp/1433', 'mssql'],
  ['udp/1434', 'mssql-browser'],
  ['tcp/1521', 'oracle'],
  ['tcp/1883', 'mqtt'],
  ['tcp/2049', 'nfs'],
  ['udp/2049', 'nfs'],
  ['udp/2222', 'enip-io'],
  ['tcp/2379', 'etcd'],
  ['tcp/2404', 'iec104'],
  ['tcp/3000', 'http-alt'],
  ['tcp/3268', 'ldap-gc'],
  ['tcp/3306', 'mysql'],
  ['tcp/3389', 'rdp'],
  ['udp/3389', 'rdp'],
  ['tcp/4712', 'c37-118'],
  ['udp/4713', 'c37-118'],
  ['tcp/4840', 'opcua'],
  ['tcp/5000', 'http-alt'],
  ['udp/5060', 'sip'],
  ['tcp/5060', 'sip'],
  ['tcp/5432', 'postgres'],
  ['tcp/5671', 'amqps'],
  ['tcp/5672', 'amqp'],
  ['tcp/5900', 'vnc'],
  ['tcp/5985', 'winrm'],
  ['tcp/5986', 'winrm'],
  ['tcp/6379', 'redis'],
  ['tcp/6443', 'kube-api'],
  ['tcp/8000', 'http-alt'],
  ['tcp/8080', 'http-alt'],
  ['tcp/8443', 'https-alt'],
  ['tcp/8883', 'mqtts'],
  ['tcp/9080', 'http-alt'],
  ['tcp/9090', 'prometheus'],
  ['tcp/9092', 'kafka'],
  ['tcp/9100', 'node-exporter'],
  ['tcp/9200', 'elasticsearch'],
  ['tcp/10250', 'kubelet'],
  ['tcp/11211', 'memcached'],
  ['tcp/20000', 'dnp3'],
  ['udp/20000', 'dnp3'],
  ['tcp/27017', 'mongodb'],
  ['tcp/34962', 'profinet'],
  ['tcp/34964', 'profinet'],
  ['udp/34964', 'profinet'],
  ['tcp/44818', 'enip'],
  ['udp/44818', 'enip'],
  ['udp/47808', 'bacnet'],
]);

/** Well-known names for ports below 1024 that Bulkhead's output uses. */
export const WELL_KNOWN_NAMES: ReadonlyMap<string, string> = new Map([
  ['tcp/20', 'ftp-data'],
  ['tcp/21', 'ftp'],
  ['tcp/22', 'ssh'],
  ['tcp/23', 'telnet'],
  ['tcp/25', 'smtp'],
  ['udp/53', 'dns'],
  ['tcp/53', 'dns'],
  ['udp/67', 'dhcp'],
  ['udp/68', 'dhcp-client'],
  ['udp/69', 'tftp'],
  ['tcp/80', 'http'],
  ['tcp/88', 'kerberos'],
  ['udp/88', 'kerberos'],
  ['tcp/102', 's7comm'],
  ['udp/123', 'ntp'],
  ['tcp/135', 'msrpc'],
  ['udp/137', 'netbios-ns'],
  ['udp/138', 'netbios-dgm'],
  ['tcp/139', 'netbios-ssn'],
  ['udp/161', 'snmp'],
  ['tcp/389', 'ldap'],
  ['tcp/443', 'https'],
  ['tcp/445', 'smb'],
  ['udp/514', 'syslog'],
  ['tcp/502', 'modbus'],
  ['tcp/636', 'ldaps'],
]);

/** The known service name of a protocol/port pair, if any. */
export function servicePortName(protocol: string, port: number): string | undefined {
  const key = `${protocol}/${port}`;
  return WELL_KNOWN_NAMES.get(key) ?? SERVICE_PORTS.get(key);
}
