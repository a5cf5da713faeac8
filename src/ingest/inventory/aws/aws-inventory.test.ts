import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../domain/index.js';
import { isAwsInventory, readAwsInventory } from './aws-inventory.js';
import { labelKeyOfTag, labelValueOfTag } from './tag-label.js';

const DEMO = join(import.meta.dirname, '../../../../../shared/data/aws-inventory-cloudmapper');

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bulkhead-aws-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

function instance(id: string, fields: Record<string, unknown>): Record<string, unknown> {
  return { InstanceId: id, State: { Name: 'running' }, ...fields };
}

function instances(...list: Record<string, unknown>[]): string {
  return JSON.stringify({ Reservations: [{ Instances: list }] }, null, 2);
}

describe('labelKeyOfTag()', () => {
  it.each([
    { name: 'upper case', input: 'Name', want: 'name' },
    { name: 'a blank', input: 'Cost Center', want: 'cost_center' },
    {
      name: 'AWS namespaces',
      input: 'aws:cloudformation:stack-name',
      want: 'aws/cloudformation/stack-name',
    },
    { name: 'a slash kept', input: 'team/owner', want: 'team/owner' },
    { name: 'symbols', input: 'a+b=c@d', want: 'a_b_c_d' },
    { name: 'a leading digit', input: '2fa', want: 'fa' },
    { name: 'only symbols', input: '++', want: '' },
  ])('$name', ({ input, want }) => {
    expect(labelKeyOfTag(input)).toBe(want);
  });
});

describe('labelValueOfTag()', () => {
  it.each([
    { name: 'blanks', input: 'Restricted SSH Access', want: 'Restricted_SSH_Access' },
    {
      name: 'an ARN kept',
      input: 'arn:aws:ecs:us-east-1:1:x/y',
      want: 'arn:aws:ecs:us-east-1:1:x/y',
    },
    { name: 'a leading symbol', input: ' #2 web', want: '2_web' },
    { name: 'empty', input: '', want: '' },
  ])('$name', ({ input, want }) => {
    expect(labelValueOfTag(input)).toBe(want);
  });
});

describe('readAwsInventory() on the CloudMapper demo account', () => {
  it('imports 3 instances and 1 unattached interface as 4 workloads', async (ctx) => {
    ctx.skip(!existsSync(DEMO), `${DEMO} is absent`);
    const report = await readAwsInventory(DEMO);
    expect(report).toMatchObject({
      format: 'aws',
      read: 4,
      instances: 3,
      interfaces: 1,
      rejected: 0,
      labelsDropped: 0,
    });
    expect(report.files.map((file) => file.slice(DEMO.length + 1))).toEqual([
      'us-east-1/ec2-describe-security-groups.json',
      'us-east-1/ec2-describe-instances.json',
      'us-east-1/ec2-describe-network-interfaces.json',
    ]);
    expect(report.securityGroups).toHaveLength(8);
    expect(report.workloads.map((workload) => workload.name)).toEqual([
      'Bastion',
      'Web1',
      'Web2',
      'eni-00000001',
    ]);
  });

  it('turns tags, state, VPC, subnet and security groups into labels', async (ctx) => {
    ctx.skip(!existsSync(DEMO), `${DEMO} is absent`);
    const { workloads } = await readAwsInventory(DEMO);
    expect(workloads[0]).toEqual({
      name: 'Bastion',
      addresses: ['10.0.0.1', '1.2.3.4'],
      labels: {
        name: 'Bastion',
        state: 'running',
        vpc: 'vpc-12345678',
        subnet: 'subnet-00000001',
        'sg/sg-00000002': 'Restricted_SSH_Access',
      },
      discovered: false,
    });
    expect(workloads[3]).toEqual({
      name: 'eni-00000001',
      addresses: ['172.31.48.168', '3.80.3.41'],
      labels: {
        state: 'in-use',
        vpc: 'vpc-12345678',
        subnet: 'subnet-00000001',
        'interface-type': 'interface',
        description:
          'arn:aws:ecs:us-east-1:653711331788:attachment/ed8fed01-82d0-4bf6-86cf-fe3115c23ab8',
        'sg/sg-00000008': 'Public',
      },
      discovered: false,
    });
  });

  it('keeps security-group rules as data', async (ctx) => {
    ctx.skip(!existsSync(DEMO), `${DEMO} is absent`);
    const { securityGroups } = await readAwsInventory(DEMO);
    const bastion = securityGroups.find((group) => group.id === 'sg-00000002');
    expect(bastion?.name).toBe('Bastion');
    expect(bastion?.ingress.length).toBeGreaterThan(0);
  });
});

describe('readAwsInventory() with bad input', () => {
  it('rejects an instance without addresses by its id and keeps the others', async () => {
    const file = await write(
      'no-address.json',
      instances(
        instance('i-good1', { PrivateIpAddress: '10.0.0.1' }),
        instance('i-gone', { State: { Name: 'terminated' } }),
        instance('i-good2', { PrivateIpAddress: '10.0.0.2', Ipv6Address: '2001:db8::2' }),
      ),
    );
    const report = await readAwsInventory(file);
    expect(report).toMatchObject({ read: 3, instances: 3, rejected: 1 });
    expect(report.workloads.map((workload) => workload.name)).toEqual(['i-good1', 'i-good2']);
    expect(report.issues).toEqual([
      {
        file,
        line: expect.any(Number),
        message: expect.stringContaining('instance i-gone (state terminated) has no IP address'),
      },
    ]);
  });

  it('rejects a bad address naming the instance', async () => {
    const file = await write(
      'bad-address.json',
      instances(instance('i-bad', { PrivateIpAddress: '10.0.0.300' })),
    );
    const report = await readAwsInventory(file);
    expect(report.issues[0]?.message).toContain('instance i-bad has address "10.0.0.300"');
  });

  it.each([
    { name: 'a bad token', text: '{\n  "Reservations": [\n    x\n  ]\n}\n', line: 3 },
    { name: 'a trailing comma', text: '{\n  "Reservations": [],\n}\n', line: 3 },
    { name: 'a cut file', text: '{\n  "Reservations": [\n', line: 2 },
    { name: 'an empty file', text: '', line: 1 },
  ])('refuses $name as not JSON with the file and line', async ({ name, text, line }) => {
    const file = await write(`${name}.json`, text);
    const err = await readAwsInventory(file).catch((caught: unknown) => caught);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).place).toEqual({ file, line });
    expect((err as InputError).message).toContain('the file is not JSON');
  });

  it('refuses JSON that is no describe-* response', async () => {
    const file = await write('other.json', '{"Vpcs": []}');
    await expect(readAwsInventory(file)).rejects.toThrow(/has no Reservations, NetworkInterfaces/);
  });

  it('refuses a folder without describe-* files', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    await expect(readAwsInventory(empty)).rejects.toThrow(/holds no describe-instances/);
  });

  it('drops a tag that cannot be a label and says why', async () => {
    const file = await write(
      'tags.json',
      instances(
        instance('i-1', {
          PrivateIpAddress: '10.0.0.1',
          VpcId: 'vpc-1',
          Tags: [
            { Key: 'Env', Value: 'prod' },
            { Key: 'env', Value: 'dev' },
            { Key: 'vpc', Value: 'other' },
            { Key: 'backup', Value: '' },
          ],
        }),
      ),
    );
    const report = await readAwsInventory(file);
    expect(report.workloads[0]?.labels).toEqual({ state: 'running', vpc: 'vpc-1', env: 'prod' });
    expect(report.labelsDropped).toBe(3);
    expect(report.labelIssues.map((issue) => issue.message)).toEqual([
      'i-1: tag "env" gives label key "env", which is already set',
      'i-1: tag "vpc" gives label key "vpc", which is already set',
      'i-1: tag "backup" has value "", which is empty or longer than 128 characters as a label value',
    ]);
  });

  it('names workloads sharing a Name tag after their ids', async () => {
    const tags = [{ Key: 'Name', Value: 'web' }];
    const file = await write(
      'same-name.json',
      instances(
        instance('i-1', { PrivateIpAddress: '10.0.0.1', Tags: tags }),
        instance('i-2', { PrivateIpAddress: '10.0.0.2', Tags: tags }),
      ),
    );
    const { workloads } = await readAwsInventory(file);
    expect(workloads.map((workload) => workload.name)).toEqual(['i-1', 'i-2']);
  });

  it('adds the addresses of an instance interface to the instance', async () => {
    const folder = join(dir, 'account');
    await mkdir(join(folder, 'eu-west-1'), { recursive: true });
    await writeFile(
      join(folder, 'eu-west-1/ec2-describe-instances.json'),
      instances(instance('i-1', { PrivateIpAddress: '10.0.0.1' })),
    );
    const enis = [
      {
        NetworkInterfaceId: 'eni-1',
        Attachment: { InstanceId: 'i-1' },
        PrivateIpAddress: '10.0.0.9',
      },
      {
        NetworkInterfaceId: 'eni-2',
        InterfaceType: 'nat_gateway',
        Description: 'Interface for NAT Gateway nat-1',
        PrivateIpAddress: '10.0.1.5',
      },
    ];
    await writeFile(
      join(folder, 'eu-west-1/ec2-describe-network-interfaces.json'),
      JSON.stringify({ NetworkInterfaces: enis }),
    );
    const report = await readAwsInventory(folder);
    expect(report).toMatchObject({ read: 3, instances: 1, interfaces: 2, rejected: 0 });
    expect(report.workloads).toEqual([
      expect.objectContaining({ name: 'i-1', addresses: ['10.0.0.1', '10.0.0.9'] }),
      expect.objectContaining({
        name: 'eni-2',
        labels: { 'interface-type': 'nat_gateway', description: 'Interface_for_NAT_Gateway_nat-1' },
      }),
    ]);
  });
});

describe('isAwsInventory()', () => {
  it.each([
    { name: 'instances', head: '{\n    "Reservations": [\n', want: true },
    { name: 'interfaces', head: '{"NetworkInterfaces": [{', want: true },
    { name: 'groups', head: '\uFEFF{ "SecurityGroups": [', want: true },
    { name: 'other AWS JSON', head: '{"Vpcs": [', want: false },
    { name: 'a manifest', head: 'apiVersion: v1\nkind: Pod\n', want: false },
  ])('$name', ({ head, want }) => {
    expect(isAwsInventory(Buffer.from(head))).toBe(want);
  });
});
