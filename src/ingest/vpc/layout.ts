import { InputError } from '../../domain/index.js';
import type { Place } from '../../domain/index.js';

/**
 * Every field name the AWS VPC flow log format defines (versions 2 to 5, ECS fields
 * and reject-reason included). A header may also name fields AWS adds later: those are
 * kept as unknown columns and ignored.
 */
export const VPC_FIELD_NAMES: ReadonlySet<string> = new Set([
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
  'vpc-id',
  'subnet-id',
  'instance-id',
  'tcp-flags',
  'type',
  'pkt-srcaddr',
  'pkt-dstaddr',
  'region',
  'az-id',
  'sublocation-type',
  'sublocation-id',
  'pkt-src-aws-service',
  'pkt-dst-aws-service',
  'flow-direction',
  'traffic-path',
  'ecs-cluster-arn',
  'ecs-cluster-name',
  'ecs-container-instance-arn',
  'ecs-container-instance-id',
  'ecs-container-id',
  'ecs-second-container-id',
  'ecs-service-name',
  'ecs-task-definition-arn',
  'ecs-task-arn',
  'ecs-task-id',
  'reject-reason',
]);

/** The fields of the default (version 2) format, in the order AWS writes them without a header. */
export const VPC_DEFAULT_FIELDS: readonly string[] = [
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
];

/**
 * Where each field Bulkhead reads sits in a record, -1 when the layout lacks it. Computed
 * once per file so a record is split once and its fields are read by index.
 */
export interface VpcLayout {
  readonly fields: readonly string[];
  readonly srcaddr: number;
  readonly dstaddr: number;
  readonly pktSrcaddr: number;
  readonly pktDstaddr: number;
  readonly srcport: number;
  readonly dstport: number;
  readonly protocol: number;
  readonly packets: number;
  readonly bytes: number;
  readonly start: number;
  readonly end: number;
  readonly action: number;
  readonly logStatus: number;
  readonly tcpFlags: number;
}

const FIELD_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Returns the field names when a line is a header (every token a field name, at least one
 * of them known), or undefined when it is a record. `${name}` tokens, as written in the
 * format string of a flow log subscription, are accepted too.
 */
export function parseVpcHeader(line: string): string[] | undefined {
  const tokens = line.trim().split(/\s+/);
  const names = tokens.map((token) =>
    token.startsWith('${') && token.endsWith('}') ? token.slice(2, -1) : token,
  );
  if (!names.every((name) => FIELD_NAME.test(name))) return undefined;
  return names.some((name) => VPC_FIELD_NAMES.has(name)) ? names : undefined;
}

/**
 * Builds the layout of a list of field names.
 *
 * @throws InputError at the header's place when a name repeats or no source or destination address
 *   field is listed.
 */
export function createVpcLayout(fields: readonly string[], place: Place): VpcLayout {
  const seen = new Set<string>();
  for (const name of fields) {
    if (seen.has(name)) {
      const message = `Cannot read VPC flow log header: field "${name}" is listed twice; list each field once`;
      throw new InputError(message, place);
    }
    seen.add(name);
  }

  const at = (name: string): number => fields.indexOf(name);
  const layout: VpcLayout = {
    fields,
    srcaddr: at('srcaddr'),
    dstaddr: at('dstaddr'),
    pktSrcaddr: at('pkt-srcaddr'),
    pktDstaddr: at('pkt-dstaddr'),
    srcport: at('srcport'),
    dstport: at('dstport'),
    protocol: at('protocol'),
    packets: at('packets'),
    bytes: at('bytes'),
    start: at('start'),
    end: at('end'),
    action: at('action'),
    logStatus: at('log-status'),
    tcpFlags: at('tcp-flags'),
  };

  if (
    (layout.srcaddr < 0 && layout.pktSrcaddr < 0) ||
    (layout.dstaddr < 0 && layout.pktDstaddr < 0)
  ) {
    const message = `Cannot read VPC flow log header: it lists no srcaddr/pkt-srcaddr or no dstaddr/pkt-dstaddr field; the header lists ${fields.join(', ')}`;
    throw new InputError(message, place);
  }
  return layout;
}
