import { policyForTest, ruleForTest as rule, selectorForTest as sel, servicesForTest as svc } from '../policy-for-test.js';

export const policy = policyForTest({
  tiers: [
    {
      name: 'apps',
      rules: [
        rule('rpc', 'allow', sel({ role: 'client' }), sel({ role: 'server' }), svc('tcp/135', 'tcp/49152-65535', 'tcp/60000-60100')),
        rule('adjacent', 'allow', sel({ role: 'client' }), sel({ role: 'server' }), svc('tcp/8000-8079', 'tcp/8080-8099', 'tcp/8080')),
        rule('dns', 'allow', sel('any'), sel({ role: 'server' }), svc('udp/53', 'tcp/53')),
        rule('sctp-all', 'allow', sel({ role: 'client' }), sel({ role: 'server' }), svc('sctp')),
        rule('gre', 'allow', sel({ role: 'client' }), sel({ role: 'server' }), svc('47')),
      ],
    },
  ],
});
