export { POLICY_SCHEMA } from './policy-schema.js';
