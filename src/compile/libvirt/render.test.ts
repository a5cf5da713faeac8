// Golden tests of the libvirt nwfilter renderer. The output relies on these documented
// semantics (libvirt "Network Filters", https://libvirt.org/formatnwfilter.html):
//
// - A `<filter>` with `chain='root'` sees all of the interface's traffic; its rules run
//   in ascending `priority` (-1000 to 1000) and the first `accept` or `drop` ends the
//   evaluation; `return` goes back to the calling chain.
// - `direction='in'` is traffic towards the virtual machine, `out` traffic from it,
//   `inout` both.
// - Protocol elements for IPv4 (`tcp`, `udp`, `sctp`, `icmp`, `all`) and IPv6
//   (`tcp-ipv6`, `udp-ipv6`, `sctp-ipv6`, `icmpv6`, `all-ipv6`) take `srcipaddr` with
//   `srcipmask`, `srcipfrom`/`srcipto` ranges (and the `dst…` forms), `dstportstart` /
//   `dstportend`, ICMP `type` and `code`, and `state` (NEW, ESTABLISHED, RELATED…) for
//   connection tracking (IPv4 elements only). IP rules use connection tracking by default
//   (`statematch` defaults to true): the reply direction of an accepted connection is
//   accepted. The ethernet-layer `ip` / `ipv6` elements take `protocol`.
// - The schema is checked with `virt-xml-validate FILE nwfilter` (Debian libvirt-clients
//   with libxml2-utils).
import { execFileSync } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { CompileError } from '../errors.js';
import {
  GOLDEN_SCENARIOS,
  expectGolden,
  goldenPath,
  goldenScenario,
} from '../iptables/golden-for-test.js';
import { renderNwfilter } from './render.js';

describe('renderNwfilter() golden files', () => {
  it.each(GOLDEN_SCENARIOS)('renders scenario %s byte for byte', (name) => {
    const scenario = goldenScenario(name);
    for (const workload of scenario.workloads) {
      expectGolden(
        name,
        `${workload.name}.nwfilter.xml`,
        renderNwfilter(scenario.plan, workload.name),
      );
    }
  });
});

describe('renderNwfilter() output', () => {
  it('throws a CompileError for a workload the plan does not hold', () => {
    expect(() => renderNwfilter({ points: [] }, 'ghost')).toThrow(CompileError);
  });

  it('accepts by default outside enforce mode', () => {
    const { plan } = goldenScenario('test-mode');
    expect(renderNwfilter(plan, 'web-1')).toContain(
      "<rule action='accept' direction='inout' priority='900'>\n    <all/>",
    );
    expect(renderNwfilter(plan, 'db-1')).toContain(
      "<rule action='drop' direction='inout' priority='900'>\n    <all/>",
    );
  });
});

function validatorUnavailable(): string | undefined {
  try {
    execFileSync('sh', ['-c', 'command -v virt-xml-validate && command -v xmllint'], {
      stdio: 'ignore',
    });
    return undefined;
  } catch {
    return 'no virt-xml-validate or xmllint on PATH (Debian: apt-get install libvirt-clients libxml2-utils)';
  }
}

const unavailable = validatorUnavailable();

describe.skipIf(unavailable !== undefined)(
  `virt-xml-validate accepts every nwfilter golden file${unavailable === undefined ? '' : ` (skipped: ${unavailable})`}`,
  () => {
    it.each(GOLDEN_SCENARIOS)('scenario %s', (name) => {
      for (const workload of goldenScenario(name).workloads) {
        execFileSync(
          'virt-xml-validate',
          [goldenPath(name, `${workload.name}.nwfilter.xml`), 'nwfilter'],
          {
            stdio: ['ignore', 'ignore', 'pipe'],
            timeout: 10_000,
          },
        );
      }
    });
  },
);
