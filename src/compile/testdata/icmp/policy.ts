import { policyForTest, ruleForTest as rule, selectorForTest as sel, servicesForTest as svc } from '../policy-for-test.js';

export const policy = policyForTest({
  tiers: [
    {
      name: 'diagnostics',
      rules: [
        rule('ping', 'allow', sel({ role: 'ops' }), sel('any'), svc('icmp/8', 'icmpv6/128')),
        rule('unreachable', 'allow', sel('any'), sel({ role: 'ops' }), svc('icmp/3/4', 'icmp/3/4', 'icmp/11')),
        rule('icmp-all', 'allow', sel({ role: 'ops' }), sel({ role: 'router' }), svc('icmp', 'icmp/8')),
        rule('no-redirect', 'deny', sel('any'), sel('any'), svc('icmp/5', 'icmpv6/137/0')),
      ],
    },
  ],
});
