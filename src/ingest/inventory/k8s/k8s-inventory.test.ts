import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../domain/index.js';
import { isK8sManifest, readK8sInventory } from './k8s-inventory.js';

const APPS = join(import.meta.dirname, '../../../../../shared/data/k8s-demo-apps');
const BOUTIQUE = join(APPS, 'online-boutique');
const SOCK_SHOP = join(APPS, 'sock-shop');

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bulkhead-k8s-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web
        Tier: front
    spec:
      containers:
        - name: web
          ports:
            - containerPort: 8080
              name: http
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app.kubernetes.io/name: web
  ports:
    - port: 80
      targetPort: http
`;

describe('readK8sInventory() on the demo apps', () => {
  it('imports Online Boutique: 12 workloads, 12 services', async (ctx) => {
    ctx.skip(!existsSync(BOUTIQUE), `${BOUTIQUE} is absent`);
    const report = await readK8sInventory(BOUTIQUE);
    expect(report).toMatchObject({ format: 'k8s', rejected: 0, labelsDropped: 0 });
    expect(report.workloads).toHaveLength(12);
    expect(report.services).toHaveLength(12);
    expect(report.skipped).toEqual({ ServiceAccount: 11, NetworkPolicy: 13 });
    expect(report.read).toBe(12 + 12 + 11 + 13);
    expect(report.workloads.find((workload) => workload.name === 'default/emailservice')).toEqual({
      name: 'default/emailservice',
      addresses: [],
      labels: { namespace: 'default', app: 'emailservice' },
      discovered: false,
      openPorts: [{ protocol: 6, port: 8080, service: 'emailservice' }],
    });
    const frontend = report.services.filter((service) =>
      service.workloads.includes('default/frontend'),
    );
    expect(frontend.map((service) => service.name)).toEqual(['frontend', 'frontend-external']);
  });

  it('imports Sock Shop: 14 workloads, 14 services, the sock-shop namespace once', async (ctx) => {
    ctx.skip(!existsSync(SOCK_SHOP), `${SOCK_SHOP} is absent`);
    const report = await readK8sInventory(SOCK_SHOP);
    expect(report).toMatchObject({ rejected: 0, labelsDropped: 0 });
    expect(report.workloads).toHaveLength(14);
    expect(report.services).toHaveLength(14);
    expect(report.namespaces).toEqual([{ name: 'sock-shop', labels: {} }]);
    expect(report.workloads.find((workload) => workload.name === 'sock-shop/rabbitmq')).toEqual({
      name: 'sock-shop/rabbitmq',
      addresses: [],
      labels: { namespace: 'sock-shop', name: 'rabbitmq' },
      discovered: false,
      openPorts: [
        { protocol: 6, port: 15672, service: 'management' },
        { protocol: 6, port: 5672, service: 'rabbitmq' },
        { protocol: 6, port: 9090, service: 'rabbitmq' },
      ],
    });
    expect(report.services.find((service) => service.name === 'rabbitmq')).toEqual({
      name: 'rabbitmq',
      namespace: 'sock-shop',
      selector: { name: 'rabbitmq' },
      ports: [
        { protocol: 'TCP', port: 5672, targetPort: 5672 },
        { protocol: 'TCP', port: 9090, targetPort: 'exporter' },
      ],
      workloads: ['sock-shop/rabbitmq'],
    });
  });
});

describe('readK8sInventory() labels and services', () => {
  it('labels pods, adds namespace and app, and marks named target ports', async () => {
    const file = await write('web.yaml', `${DEPLOYMENT}---\n${SERVICE}`);
    const report = await readK8sInventory(file);
    expect(report).toMatchObject({ read: 2, rejected: 0 });
    expect(report.workloads).toEqual([
      {
        name: 'shop/web',
        addresses: [],
        labels: { namespace: 'shop', 'app.kubernetes.io/name': 'web', tier: 'front', app: 'web' },
        discovered: false,
        openPorts: [{ protocol: 6, port: 8080, service: 'web' }],
      },
    ]);
    expect(report.services[0]?.workloads).toEqual(['shop/web']);
  });

  it('drops a pod label that cannot be a label and says why', async () => {
    const text = DEPLOYMENT.replace('Tier: front', '3scale.net/x: y\n        empty: ""');
    const report = await readK8sInventory(await write('drop.yaml', text));
    expect(report.labelsDropped).toBe(2);
    expect(report.labelIssues.map((issue) => issue.message)).toEqual([
      'shop/web: label key "3scale.net/x" must start with a letter and be at most 63 characters',
      'shop/web: label "empty" has value "", which is not a label value',
    ]);
  });
});

describe('readK8sInventory() with bad input', () => {
  it('rejects a Deployment without a name with its line and keeps the others', async () => {
    const nameless = DEPLOYMENT.replace('  name: web\n', '');
    const file = await write('nameless.yaml', `${SERVICE}---\n${nameless}---\n${DEPLOYMENT}`);
    const report = await readK8sInventory(file);
    expect(report).toMatchObject({ read: 3, rejected: 1 });
    expect(report.workloads.map((workload) => workload.name)).toEqual(['shop/web']);
    expect(report.issues).toEqual([
      { file, line: 13, message: 'Deployment has no metadata.name; give every object a name' },
    ]);
  });

  it('rejects a second workload with the same namespace/name', async () => {
    const file = await write('twice.yaml', `${DEPLOYMENT}---\n${DEPLOYMENT}`);
    const report = await readK8sInventory(file);
    expect(report.rejected).toBe(1);
    expect(report.issues[0]?.message).toContain(`has the name of the Deployment at ${file}:1`);
  });

  it.each([
    { name: 'a TAB-indented line', text: 'kind: Pod\nmetadata:\n\tname: x\n', line: 3 },
    { name: 'an unclosed bracket', text: 'kind: Pod\nmetadata: {name: x\n', line: 3 },
    { name: 'a bad indent', text: DEPLOYMENT.replace('  name: web', ' name: web'), line: 4 },
  ])('refuses $name with the file and line', async ({ name, text, line }) => {
    const file = await write(`${name}.yaml`, text);
    const err = await readK8sInventory(file).catch((caught: unknown) => caught);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).place).toMatchObject({ file, line });
    expect((err as InputError).message).toContain('fix the YAML');
  });
});

describe('isK8sManifest()', () => {
  it.each([
    { name: 'YAML', head: '---\napiVersion: apps/v1\nkind: Deployment\n', want: true },
    { name: 'JSON', head: '{"apiVersion": "v1", "kind": "List", "items": [', want: true },
    { name: 'other YAML', head: 'version: 1\nservices:\n', want: false },
    { name: 'AWS JSON', head: '{"Reservations": [', want: false },
  ])('$name', ({ head, want }) => {
    expect(isK8sManifest(Buffer.from(head))).toBe(want);
  });
});
