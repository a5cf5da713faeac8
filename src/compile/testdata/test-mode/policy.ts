import { policyForTest, ruleForTest as rule, selectorForTest as sel, servicesForTest as svc } from '../policy-for-test.js';

export const policy = policyForTest({
  modes: [
    { scope: sel('any'), mode: 'observe' },
    { scope: sel({ env: 'prod' }), mode: 'test' },
    { scope: sel('workload:db-1'), mode: 'enforce' },
  ],
  tiers: [
    {
      name: 'guardrails',
      rules: [rule('no-dev-to-prod', 'deny', sel({ env: 'dev' }), sel({ env: 'prod' }), svc('any'))],
    },
    {
      name: 'applications',
      rules: [rule('web', 'allow', sel('any'), sel({ role: 'web' }), svc('tcp/80', 'tcp/443'))],
    },
  ],
});
