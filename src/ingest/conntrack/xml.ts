import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ConntrackEntry, ConntrackTuple } from './entry.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // conntrack writes no entities; none are expanded.
  processEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === 'meta',
});

type Node = Readonly<Record<string, unknown>>;

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function text(node: Node | undefined, key: string): string | undefined {
  const value = node?.[key];
  return typeof value === 'string' ? value.trim() : undefined;
}

/** One `<meta direction="original|reply">` as a tuple with the text format's keys. */
function tupleOf(meta: Node): ConntrackTuple {
  const l3 = isNode(meta.layer3) ? meta.layer3 : undefined;
  const l4 = isNode(meta.layer4) ? meta.layer4 : undefined;
  const counters = isNode(meta.counters) ? meta.counters : undefined;
  const tuple: Record<string, string> = {};
  const put = (key: string, value: string | undefined): void => {
    if (value !== undefined) tuple[key] = value;
  };
  put('src', text(l3, 'src'));
  put('dst', text(l3, 'dst'));
  put('sport', text(l4, 'sport'));
  put('dport', text(l4, 'dport'));
  put('type', text(l4, 'type'));
  put('code', text(l4, 'code'));
  put('packets', text(counters, 'packets'));
  put('bytes', text(counters, 'bytes'));
  return tuple;
}

/**
 * Parses one `<flow>…</flow>` element of `conntrack -L -o xml`: the `original` and `reply`
 * metas give the tuples, `layer4 protonum` the protocol.
 *
 * @throws RangeError naming what is missing or malformed.
 */
export function parseConntrackXmlFlow(xml: string): ConntrackEntry {
  // TODO(#3): move to fast-xml-validator with the nmap importer — the deprecated validator
  // still works on fast-xml-parser 5.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new RangeError(
      `flow element is not well-formed XML: ${valid.err.msg} (column ${valid.err.col})`,
    );
  }
  const doc = parser.parse(xml) as Node;
  const flow = isNode(doc.flow) ? doc.flow : {};
  const metas = Array.isArray(flow.meta) ? flow.meta.filter(isNode) : [];
  const original = metas.find((meta) => meta.direction === 'original');
  const reply = metas.find((meta) => meta.direction === 'reply');
  if (original === undefined) {
    throw new RangeError('flow element has no <meta direction="original">: expected one per flow');
  }
  const l4 = isNode(original.layer4) ? original.layer4 : undefined;
  const protonum = typeof l4?.protonum === 'string' ? l4.protonum : undefined;
  if (protonum === undefined || !/^\d{1,3}$/.test(protonum) || Number(protonum) > 255) {
    throw new RangeError(
      `field "layer4 protonum" is ${protonum === undefined ? 'absent' : `"${protonum}"`}: expected a protocol number from 0 to 255`,
    );
  }
  return {
    protocol: Number(protonum),
    original: tupleOf(original),
    reply: reply ? tupleOf(reply) : undefined,
  };
}
