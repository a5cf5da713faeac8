/**
 * The JSON Schema (draft 2020-12) of a policy file, for editor completion and checks
 * before loading. It describes the shape the loader reads; the loader still decides
 * validity (names that must exist, prefixes that must parse, ranges that must be in
 * order), and says so with positions, which a schema cannot.
 */
export const POLICY_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://bulkhead.dev/schema/policy.schema.json',
  title: 'Bulkhead policy',
  type: 'object',
  additionalProperties: false,
  required: ['version'],
  properties: {
    version: { const: 1, description: 'The policy format; this Bulkhead reads version 1.' },
    services: {
      type: 'object',
      description: 'Named services: a spec such as tcp/443, a service name, or a list of these.',
      additionalProperties: { $ref: '#/$defs/serviceValue' },
    },
    networks: {
      type: 'object',
      description: 'Named sets of prefixes that are not workloads.',
      additionalProperties: { $ref: '#/$defs/network' },
    },
    segments: {
      type: 'object',
      description: 'Named selectors that mark a boundary.',
      additionalProperties: { $ref: '#/$defs/segment' },
    },
    modes: { type: 'array', items: { $ref: '#/$defs/mode' } },
    tiers: { type: 'array', items: { $ref: '#/$defs/tier' } },
    rules: {
      type: 'array',
      description: 'Rules of the tier named default.',
      items: { $ref: '#/$defs/rule' },
    },
    tests: { type: 'array', items: { $ref: '#/$defs/test' } },
  },
  $defs: {
    name: { type: 'string', pattern: '^[a-z0-9][a-z0-9_.-]*$', maxLength: 128 },
    serviceText: {
      type: 'string',
      description: 'tcp/443, tcp/8000-8080, udp, icmp/8, icmp/3/4, any, or a service name.',
      minLength: 1,
    },
    serviceValue: {
      oneOf: [
        { $ref: '#/$defs/serviceText' },
        { type: 'array', minItems: 1, items: { $ref: '#/$defs/serviceText' } },
      ],
    },
    labelValues: {
      oneOf: [
        { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_./:-]{0,127}$' },
        {
          type: 'array',
          minItems: 1,
          items: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_./:-]{0,127}$' },
        },
      ],
    },
    labelMap: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: '^[a-z][a-z0-9_./-]{0,62}$' },
      additionalProperties: { $ref: '#/$defs/labelValues' },
    },
    selectorTerm: {
      oneOf: [
        {
          type: 'string',
          description: 'any, workload:NAME, network:NAME, segment:NAME, or a CIDR.',
          minLength: 1,
        },
        {
          type: 'object',
          description: 'Labels: AND across keys, OR among listed values; not: excludes.',
          minProperties: 1,
          propertyNames: { pattern: '^[a-z][a-z0-9_./-]{0,62}$' },
          properties: { not: { $ref: '#/$defs/labelMap' } },
          additionalProperties: { $ref: '#/$defs/labelValues' },
        },
      ],
    },
    selector: {
      oneOf: [
        { $ref: '#/$defs/selectorTerm' },
        { type: 'array', minItems: 1, items: { $ref: '#/$defs/selectorTerm' } },
      ],
    },
    network: {
      type: 'object',
      additionalProperties: false,
      required: ['cidrs'],
      properties: {
        cidrs: { type: 'array', minItems: 1, items: { type: 'string' } },
        except: { type: 'array', items: { type: 'string' } },
      },
    },
    segment: {
      type: 'object',
      additionalProperties: false,
      required: ['select'],
      properties: {
        select: { $ref: '#/$defs/selector' },
        isolated: { type: 'boolean' },
        exceptions: { type: 'array', items: { type: 'string' } },
      },
    },
    mode: {
      type: 'object',
      additionalProperties: false,
      required: ['scope', 'mode'],
      properties: {
        scope: { $ref: '#/$defs/selector' },
        mode: { enum: ['observe', 'test', 'enforce'] },
      },
    },
    tier: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'rules'],
      properties: {
        name: { $ref: '#/$defs/name' },
        rules: { type: 'array', items: { $ref: '#/$defs/rule' } },
      },
    },
    rule: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'from', 'to', 'services'],
      properties: {
        id: { $ref: '#/$defs/name' },
        action: { enum: ['allow', 'deny', 'pass'], default: 'allow' },
        from: { $ref: '#/$defs/selector' },
        to: { $ref: '#/$defs/selector' },
        services: { $ref: '#/$defs/serviceValue' },
        reason: { type: 'string' },
        owner: { type: 'string' },
        expires: {
          type: 'string',
          description:
            'An ISO 8601 date, or a date-time with a zone; after it the rule no longer matches.',
        },
      },
    },
    test: {
      type: 'object',
      additionalProperties: false,
      required: ['from', 'to', 'service', 'expect'],
      properties: {
        from: { $ref: '#/$defs/selector' },
        to: { $ref: '#/$defs/selector' },
        service: { $ref: '#/$defs/serviceText' },
        expect: { enum: ['allow', 'deny'] },
      },
    },
  },
} as const;
