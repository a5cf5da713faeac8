import { policyForTest, ruleForTest as rule, selectorForTest as sel, servicesForTest as svc } from '../policy-for-test.js';

export const policy = policyForTest({
  networks: [
    { name: 'lab', cidrs: ['2001:db8:100::/48', '198.18.100.0/24'], except: ['2001:db8:100:ff::/64'] },
  ],
  tiers: [
    {
      name: 'apps',
      rules: [
        rule('lab-to-app', 'allow', sel('network:lab'), sel({ app: 'shop' }), svc('tcp/443', 'udp/443')),
        rule('app-peers', 'allow', sel({ app: 'shop' }), sel({ app: 'shop' }), svc('tcp/7000-7010')),
        rule('one-host', 'allow', sel('2001:db8:200::1/128', '2001:db8:200::2'), sel({ app: 'shop' }), svc('tcp/22')),
      ],
    },
  ],
});
