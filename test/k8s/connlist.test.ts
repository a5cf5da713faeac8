/**
 * `connlist()` against the expected connection lists of the k8s-netpol-analyzer test
 * clusters (../shared/data/k8s-netpol-analyzer, see its SOURCE.md).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connlist } from '../../src/ingest/k8s/index.js';
import { InputError } from '../../src/domain/index.js';

const DATA = join(import.meta.dirname, '../../../shared/data/k8s-netpol-analyzer');
const TESTS = join(DATA, 'tests');
const EXPECTED = join(DATA, 'test_outputs/connlist');
const SUFFIX = '_connlist_output.txt';

/** Cases known to differ from the expected output (see src/analyze/k8s/README.md). */
const KNOWN_FAILURES: readonly string[] = [
  'cudn_test_3', // we put the VMs on the CUDN; expected keeps them on the pod network
  'nad_test_16', // we find no connection on NAD flatl2net between the two VMs
  'nad_test_17', // MultiNetworkPolicy ipBlocks (secondary-network addresses) not modelled
  'udn_and_vms_test_5', // expected names a VirtualMachineInstance after its VirtualMachine
  'udn_with_ingress_controller_two_pods', // we expose one more pod to the ingress controller
];

/** Malformed cases without expected output: each must be refused naming a file. */
const MALFORMED: readonly string[] = [
  'bad_netpols',
  'banp_bad_path_test_1',
  'dirty',
  'document_with_syntax_error',
  'malformed-pod-example-2',
  'malformed-pod-example-5',
  'malformed_pod_example',
  'np_bad_path_test_2',
  'onlineboutique_with_pods_severe_error',
];

function expectedLines(name: string): string[] {
  const text = readFileSync(join(EXPECTED, name + SUFFIX), 'utf8').replace(/\n$/, '');
  return text === '' ? [] : text.split('\n');
}

function firstDifference(got: readonly string[], want: readonly string[]): string {
  for (let i = 0; i < Math.max(got.length, want.length); i++) {
    if (got[i] !== want[i]) {
      return `line ${i + 1}: got ${JSON.stringify(got[i])}, want ${JSON.stringify(want[i])}`;
    }
  }
  return 'no difference';
}

async function compare(name: string): Promise<string | undefined> {
  try {
    const result = await connlist(join(TESTS, name));
    const want = expectedLines(name);
    const got = result.lines;
    return got.length === want.length && got.every((l, i) => l === want[i])
      ? undefined
      : firstDifference(got, want);
  } catch (err) {
    return err instanceof InputError ? `error: ${err.describe()}` : `crash: ${String(err)}`;
  }
}

const present = existsSync(TESTS) && existsSync(EXPECTED);
const cases = present
  ? readdirSync(EXPECTED)
      .filter((f) => f.endsWith(SUFFIX))
      .map((f) => f.slice(0, -SUFFIX.length))
      .filter((name) => existsSync(join(TESTS, name)))
      .sort()
  : [];

describe.skipIf(!present)('connlist() on k8s-netpol-analyzer', () => {
  it('matches the expected connection list of at least 95 % of the cases', async () => {
    const failures = new Map<string, string>();
    for (const name of cases) {
      const diff = await compare(name);
      if (diff !== undefined) failures.set(name, diff);
    }
    const passed = cases.length - failures.size;
    console.log(`connlist: ${passed}/${cases.length} cases match`);
    for (const [name, diff] of failures) console.log(`  FAIL ${name}: ${diff}`);

    expect(cases.length).toBe(136);
    expect(passed / cases.length).toBeGreaterThanOrEqual(0.95);
    expect([...failures.keys()]).toEqual(KNOWN_FAILURES);
  });
});

describe.skipIf(!present)('connlist() on malformed clusters', () => {
  it.each(MALFORMED.map((name) => ({ name })))(
    'refuses $name naming the file',
    async ({ name }) => {
      const dir = join(TESTS, name);
      const error: unknown = await connlist(dir).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).place?.file).toContain(dir);
    },
  );

  it('fails every case without expected output, if at all, with an InputError', async () => {
    const names = present ? readdirSync(TESTS).filter((n) => !cases.includes(n)) : [];
    for (const name of names) {
      const error: unknown = await connlist(join(TESTS, name)).then(
        () => undefined,
        (err: unknown) => err,
      );
      if (error === undefined) continue;
      expect(error, name).toBeInstanceOf(InputError);
      expect((error as InputError).place?.file, name).toContain(join(TESTS, name));
    }
  });

  it('reads a TAB-indented line inside a flow sequence as Kubernetes does', async () => {
    const result = await connlist(join(TESTS, 'acs-security-demos-added-workloads'));
    expect(result.lines.length).toBeGreaterThan(0);
    expect(result.warnings.some((w) => w.includes('webapp/deployment.yaml:29: '))).toBe(true);
  });
});

if (!present) {
  describe('connlist() on k8s-netpol-analyzer', () => {
    it.skip(`needs the test data in ${DATA}`, () => undefined);
  });
}
