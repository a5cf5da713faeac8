import { policyForTest } from '../policy-for-test.js';

export const policy = policyForTest({ tiers: [] });
