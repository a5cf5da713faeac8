import { parseAddress, protocolNumber } from '../../domain/index.js';
import type { Address, OpenPort, Workload } from '../../domain/index.js';
import { decodeXmlText } from './xml-prolog.js';

type MutableWorkload = { -readonly [K in keyof Workload]: Workload[K] };

/** An element as fast-xml-parser returns it, narrowed from unknown. */
type XmlNode = Readonly<Record<string, unknown>>;

/** Narrows a parsed value to an element; empty elements come back as ''. */
export function asNode(value: unknown): XmlNode | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as XmlNode)
    : undefined;
}

/** Narrows a parsed value to a list of elements, whatever the parser made of it. */
export function asNodes(value: unknown): XmlNode[] {
  const list: unknown[] = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.map(asNode).filter((node) => node !== undefined);
}

/** An attribute's decoded value, or undefined. */
export function attribute(node: XmlNode | undefined, name: string): string | undefined {
  const value = node?.[name];
  return typeof value === 'string' ? decodeXmlText(value) : undefined;
}

/** Whether nmap found the host up. */
export function isHostUp(host: XmlNode): boolean {
  return attribute(asNode(host.status), 'state') === 'up';
}

function addressesOf(host: XmlNode): Address[] {
  const addresses: Address[] = [];
  for (const node of asNodes(host.address)) {
    const type = attribute(node, 'addrtype');
    if (type !== 'ipv4' && type !== 'ipv6') continue;

    const text = attribute(node, 'addr') ?? '';
    try {
      addresses.push(parseAddress(text));
    } catch {
      throw new RangeError(
        `host address "${text}" (${type}) is not an IP address; rescan or fix the address in the file`,
      );
    }
  }
  if (addresses.length === 0) {
    throw new RangeError(
      'host has no ipv4 or ipv6 address (only MAC or none); scan it by IP address',
    );
  }
  return addresses;
}

function hostnamesOf(host: XmlNode): string[] {
  const names = asNodes(asNode(host.hostnames)?.hostname).map((node) => attribute(node, 'name'));
  return [...new Set(names.filter((name) => name !== undefined && name.length > 0))] as string[];
}

function openPortOf(node: XmlNode): OpenPort | undefined {
  if (attribute(asNode(node.state), 'state') !== 'open') return undefined;

  const protocolText = attribute(node, 'protocol') ?? '';
  const portText = attribute(node, 'portid') ?? '';
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  // An IP protocol scan (-sO) lists protocols: portid is the protocol number.
  const isIpScan = protocolText === 'ip';
  const protocol = isIpScan ? port : protocolNumber(protocolText);
  if (protocol === undefined || !(port >= 0 && port <= (isIpScan ? 255 : 65_535))) {
    throw new RangeError(
      `port "${protocolText}/${portText}" is not a protocol and port number; rescan or fix the port in the file`,
    );
  }

  const service = attribute(asNode(node.service), 'name');
  const openPort = { protocol, port: isIpScan ? 0 : port };
  return service === undefined || service.length === 0 ? openPort : { ...openPort, service };
}

function openPortsOf(host: XmlNode): OpenPort[] {
  const ports = asNodes(asNode(host.ports)?.port).map(openPortOf);
  return ports.filter((port) => port !== undefined);
}

/** The OS match with the highest accuracy; the first one among equals. */
function bestOsOf(host: XmlNode): string | undefined {
  let best: { name: string; accuracy: number } | undefined;
  for (const match of asNodes(asNode(host.os)?.osmatch)) {
    const name = attribute(match, 'name');
    const accuracy = Number(attribute(match, 'accuracy') ?? '0');
    if (name === undefined || name.length === 0) continue;
    if (best === undefined || accuracy > best.accuracy) best = { name, accuracy };
  }
  return best?.name;
}

/**
 * Turns one up host of an nmap scan into a workload named after its first host name, or
 * its first address when it has none.
 *
 * @throws RangeError naming the bad address or port, or saying the host has no IP address.
 */
export function parseNmapHost(host: XmlNode): Workload {
  const addresses = addressesOf(host);
  const hostnames = hostnamesOf(host);
  const workload: MutableWorkload = {
    name: hostnames[0] ?? addresses[0]!,
    addresses,
    labels: {},
    discovered: false,
  };

  if (hostnames.length > 0) workload.hostnames = hostnames;
  const os = bestOsOf(host);
  if (os !== undefined) workload.os = os;
  workload.openPorts = openPortsOf(host);
  return workload;
}
