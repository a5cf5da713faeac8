import { policyForTest, ruleForTest as rule, selectorForTest as sel, servicesForTest as svc } from '../policy-for-test.js';

export const policy = policyForTest({
  tiers: [
    {
      name: 'guardrails',
      rules: [
        rule('no-dev-to-prod', 'deny', sel({ env: 'dev' }), sel({ env: 'prod' }), svc('any')),
        rule('monitoring-exempt', 'pass', sel({ app: 'monitoring' }), sel('any'), svc('tcp/9100')),
        rule('no-db-admin', 'deny', sel('any'), sel({ role: 'db' }), svc('tcp/22')),
      ],
    },
    {
      name: 'applications',
      rules: [
        rule('web-to-api', 'allow', sel({ role: 'web' }), sel({ role: 'api' }), svc('tcp/8080')),
        rule('api-to-db', 'allow', sel({ role: 'api' }), sel({ role: 'db' }), svc('tcp/5432')),
        rule('scrape', 'allow', sel({ app: 'monitoring' }), sel('any'), svc('tcp/9100')),
        rule('old-rule', 'allow', sel('any'), sel('any'), svc('any'), Date.UTC(2020, 0, 1)),
      ],
    },
  ],
});
