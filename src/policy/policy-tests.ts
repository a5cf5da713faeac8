import { formatPlace } from '../domain/index.js';
import type { Decision, Policy, PolicyTest, Workload } from '../domain/index.js';

import { evaluate } from './evaluate.js';
import type { EvaluateOptions } from './evaluate.js';
import { serviceProbes } from './probe.js';
import { sideEndpoints } from './test-endpoints.js';

/** How many failing flows a result keeps word for word; the rest are counted. */
export const KEPT_FAILURES = 10;

/** One flow of a policy test whose verdict differs from the expected one. */
export interface PolicyTestFailure {
  readonly from: string;
  readonly to: string;
  /** The probe as a service spec: `tcp/5432`, `icmp/8/0`. */
  readonly service: string;
  readonly decision: Decision;
}

/** The outcome of one policy test. */
export interface PolicyTestResult {
  readonly test: PolicyTest;
  /** The test's position in `tests:`, from 0. */
  readonly index: number;
  readonly passed: boolean;
  /** How many flows were evaluated. */
  readonly flows: number;
  /** The first KEPT_FAILURES failing flows. */
  readonly failures: readonly PolicyTestFailure[];
  readonly failureCount: number;
  /** One line for people: where the test is, and why it passed or failed. */
  readonly message: string;
}

/**
 * Runs a policy's tests against an inventory. Each test checks every pair of endpoints
 * its sides select (workloads, or hypothetical endpoints when a side selects none) on
 * every probe of its service, and passes when every flow gets the expected verdict.
 *
 * @param policy A validated policy.
 * @param workloads The inventory the sides select from.
 * @param options `at` makes rules that expired before it stop matching.
 * @returns One result per test, in order.
 * @example
 * runPolicyTests(policy, workloads).filter((result) => !result.passed);
 */
export function runPolicyTests(
  policy: Policy,
  workloads: readonly Workload[],
  options: EvaluateOptions = {},
): PolicyTestResult[] {
  return policy.tests.map((test, index) => runTest(policy, workloads, test, index, options));
}

function runTest(
  policy: Policy,
  workloads: readonly Workload[],
  test: PolicyTest,
  index: number,
  options: EvaluateOptions,
): PolicyTestResult {
  const froms = sideEndpoints(policy, test.from, workloads);
  const tos = sideEndpoints(policy, test.to, workloads);
  const probes = test.service.flatMap((entry) => serviceProbes(policy, entry));
  const where = `Policy test ${index + 1}${test.place === undefined ? '' : ` at ${formatPlace(test.place)}`}`;
  if (froms.length === 0 || tos.length === 0) {
    const side = froms.length === 0 ? 'from' : 'to';
    const message = `${where} cannot be checked: ${side} selects no workload and no address; fix the selector`;
    return { test, index, passed: false, flows: 0, failures: [], failureCount: 0, message };
  }

  const failures: PolicyTestFailure[] = [];
  let failureCount = 0;
  let flows = 0;
  for (const from of froms) {
    for (const to of tos) {
      for (const probe of probes) {
        flows++;
        const question = {
          from: from.endpoint,
          to: to.endpoint,
          protocol: probe.protocol,
          port: probe.port,
        };
        const decision = evaluate(
          policy,
          probe.icmpCode === undefined ? question : { ...question, icmpCode: probe.icmpCode },
          options,
        );
        if (decision.verdict === test.expect) continue;
        failureCount++;
        if (failures.length < KEPT_FAILURES)
          failures.push({ from: from.label, to: to.label, service: probe.text, decision });
      }
    }
  }

  const passed = failureCount === 0;
  const message = passed
    ? `${where} passed: ${flows} ${flows === 1 ? 'flow gets' : 'flows get'} ${test.expect} on ${test.serviceText}`
    : `${where} failed: ${describeFailure(failures[0]!, test.expect)} (${failureCount} of ${flows} flows differ)`;
  return { test, index, passed, flows, failures, failureCount, message };
}

function describeFailure(failure: PolicyTestFailure, expect: string): string {
  const { decision } = failure;
  const by =
    decision.rule === null
      ? 'by default'
      : `by rule "${decision.rule}" in tier "${decision.tier ?? ''}"`;
  const verdict = decision.verdict === 'allow' ? 'allowed' : 'denied';
  return `"${failure.from}" → "${failure.to}" on ${failure.service} is ${verdict} ${by}, expected ${expect}`;
}
