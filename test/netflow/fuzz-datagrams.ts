import fc from 'fast-check';

import { createNetflowDecoder } from '../../src/ingest/netflow/index.js';
import { HAS_PACKETS, readManifest, readPayload } from './shared-data.js';

/** Every shared sample payload in MANIFEST order (empty without the shared folder). */
export function samplePayloads(): Uint8Array[] {
  if (!HAS_PACKETS) return [];
  const files = [...new Set(readManifest().flatMap((c) => c.files))];
  return files.map(readPayload);
}

/** A datagram from a sample with bytes overwritten, cut, or a header length rewritten. */
function mutated(samples: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc
    .record({
      sample: fc.integer({ min: 0, max: Math.max(0, samples.length - 1) }),
      writes: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
      cut: fc.option(fc.nat(), { nil: undefined }),
    })
    .map(({ sample, writes, cut }) => {
      const copy = Uint8Array.from(samples[sample] ?? new Uint8Array(24));
      for (const [at, value] of writes) if (copy.length > 0) copy[at % copy.length] = value;
      return cut === undefined || copy.length === 0 ? copy : copy.subarray(0, cut % copy.length);
    });
}

/** A random datagram starting with a plausible version, so the header parsers are reached. */
function random(): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(fc.constantFrom(5, 9, 10, 0, 65535), fc.uint8Array({ maxLength: 1500 }))
    .map(([version, body]) => Uint8Array.from([version >> 8, version & 255, ...body]));
}

/** Datagrams for fuzzing: mutated real samples, and random bytes behind a version. */
export function fuzzDatagrams(samples: readonly Uint8Array[]): fc.Arbitrary<Uint8Array[]> {
  const one = samples.length > 0 ? fc.oneof(mutated(samples), random()) : random();
  return fc.array(one, { minLength: 1, maxLength: 20 });
}

/** The result of one fuzz run. */
export interface FuzzResult {
  readonly runs: number;
  readonly datagrams: number;
  readonly flows: number;
  readonly maxTemplates: number;
  readonly slowestMs: number;
}

/**
 * Feeds `runs` generated sequences of datagrams, each through one decoder after the real
 * samples (so templates exist), and checks the decoder neither throws nor hangs and
 * keeps its template cache within its limit.
 */
export function runNetflowFuzzForTest(runs: number, seed: number): FuzzResult {
  const samples = samplePayloads();
  const limit = 64;
  let datagrams = 0;
  let flows = 0;
  let maxTemplates = 0;
  let slowestMs = 0;
  fc.assert(
    fc.property(fuzzDatagrams(samples), fc.nat({ max: 3 }), (list, port) => {
      const decoder = createNetflowDecoder({ maxTemplates: limit, maxTemplatesPerDomain: 16 });
      const exporter = { address: '198.18.0.1', port };
      for (const sample of samples) decoder.decode(sample, exporter, () => undefined);
      const started = performance.now();
      for (const datagram of list) {
        flows += decoder.decode(datagram, exporter, () => undefined);
        datagrams += 1;
      }
      slowestMs = Math.max(slowestMs, performance.now() - started);
      maxTemplates = Math.max(maxTemplates, decoder.templateCount());
      if (decoder.templateCount() > limit)
        throw new Error(`template cache grew to ${decoder.templateCount()}`);
    }),
    { seed, numRuns: runs },
  );
  return { runs, datagrams, flows, maxTemplates, slowestMs };
}
