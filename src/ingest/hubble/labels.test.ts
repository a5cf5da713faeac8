import { describe, expect, it } from 'vitest';
import { hubbleLabels } from './labels.js';

describe('hubbleLabels()', () => {
  it.each([
    { name: 'a label without =', labels: ['k8s:app'], want: {} },
    { name: 'an empty key', labels: ['k8s:=x'], want: {} },
    { name: 'a key with a blank', labels: ['k8s:my key=x'], want: {} },
    { name: 'a key starting with a digit', labels: ['k8s:1app=x'], want: {} },
    { name: 'a value with a blank', labels: ['k8s:app=a b'], want: {} },
    {
      name: 'a non-k8s source',
      labels: ['reserved:host', 'container:x=y', 'cidr:10.0.0.0/8'],
      want: {},
    },
    { name: 'a value that is not text', labels: [42, null], want: {} },
    { name: 'upper-case keys, lower-cased', labels: ['k8s:App=Web'], want: { app: 'Web' } },
    {
      name: 'the pod namespace key',
      labels: ['k8s:io.kubernetes.pod.namespace=shop'],
      want: { namespace: 'shop' },
    },
    {
      name: 'a dotted key with a slash',
      labels: ['k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=shop'],
      want: { 'io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name': 'shop' },
    },
  ])('$name', ({ labels, want }) => {
    expect(hubbleLabels(labels, undefined)).toEqual(want);
  });

  it('takes the endpoint namespace', () => {
    expect(hubbleLabels(['k8s:app=web'], 'shop')).toEqual({ app: 'web', namespace: 'shop' });
  });
});
