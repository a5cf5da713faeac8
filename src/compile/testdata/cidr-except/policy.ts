import { policyForTest, ruleForTest as rule, selectorForTest as sel, servicesForTest as svc } from '../policy-for-test.js';

export const policy = policyForTest({
  networks: [
    {
      name: 'internet',
      cidrs: ['0.0.0.0/0', '::/0'],
      except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '198.18.0.0/15', 'fc00::/7'],
    },
    { name: 'partner', cidrs: ['198.18.64.0/20'], except: ['198.18.70.0/24'] },
  ],
  tiers: [
    {
      name: 'edge',
      rules: [
        rule('web-ingress', 'allow', sel('network:internet'), sel({ role: 'web' }), svc('tcp/443')),
        rule('to-partner', 'allow', sel({ role: 'web' }), sel('network:partner', '198.18.70.128/25'), svc('tcp/443')),
        rule('blocklist', 'deny', sel('203.0.113.0/24'), sel('any'), svc('any')),
      ],
    },
  ],
});
