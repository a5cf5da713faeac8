// A small network-namespace lab for kernel tests. Every host is its own namespace with
// one veth to a bridge that lives in a separate hub namespace, so nothing touches the
// host's own network. Addresses come only from 198.18.0.0/15 (RFC 2544 benchmarking)
// and 2001:db8::/32 (documentation). Every namespace created is deleted by destroy(),
// and by a process 'exit' handler if a test run dies before destroy() runs.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

/** One namespace host of a lab. */
export interface LabHost {
  /** The name tests use (`web`). */
  readonly name: string;
  /** The network namespace (`bh<pid>n<counter>`). */
  readonly netns: string;
  readonly v4: string;
  readonly v6: string;
}

/** Namespaces and processes this process created and has not removed yet. */
const liveNamespaces = new Set<string>();
const liveProcesses = new Set<ChildProcess>();
let counter = 0;
let exitHookInstalled = false;

/** Runs a command and returns its stdout; throws with stderr in the message. */
export function run(command: string, args: readonly string[], input?: string): string {
  try {
    return execFileSync(command, args, {
      encoding: 'utf8',
      input,
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 15_000,
    });
  } catch (err) {
    const stderr = (err as { stderr?: unknown }).stderr;
    const detail = typeof stderr === 'string' ? stderr.trim() : String(err);
    throw new Error(`Cannot run ${command} ${args.join(' ')}: ${detail}`, { cause: err });
  }
}

/** Why kernel tests cannot run here, or undefined when they can. */
export function kernelTestsUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'not root: network namespaces and nft need CAP_NET_ADMIN';
  for (const tool of ['ip', 'nft']) {
    const probe = spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    if (probe.status !== 0) return `no ${tool} on PATH`;
  }
  const netns = spawnSync('ip', ['netns', 'list'], { stdio: 'ignore' });
  if (netns.status !== 0) return 'ip netns does not work here';
  return undefined;
}

function uniqueNetns(): string {
  counter += 1;
  return `bh${process.pid}n${counter}`;
}

function removeEverything(): void {
  for (const child of liveProcesses) {
    if (child.exitCode === null && child.pid !== undefined) child.kill('SIGKILL');
  }
  liveProcesses.clear();
  for (const netns of liveNamespaces) {
    spawnSync('ip', ['netns', 'delete', netns], { stdio: 'ignore', timeout: 10_000 });
  }
  liveNamespaces.clear();
}

function addNetns(): string {
  if (!exitHookInstalled) {
    process.on('exit', removeEverything);
    exitHookInstalled = true;
  }
  const netns = uniqueNetns();
  run('ip', ['netns', 'add', netns]);
  liveNamespaces.add(netns);
  run('ip', ['-n', netns, 'link', 'set', 'lo', 'up']);
  return netns;
}

/** A lab of hosts on one bridge. */
export class Lab {
  readonly hub: string;
  readonly hosts: readonly LabHost[];
  private readonly namespaces: string[];
  private readonly children = new Set<ChildProcess>();

  private constructor(hub: string, hosts: readonly LabHost[]) {
    this.hub = hub;
    this.hosts = hosts;
    this.namespaces = [hub, ...hosts.map((host) => host.netns)];
  }

  /**
   * Creates one namespace per name, each with eth0 on the hub's bridge, 198.18.0.(10+i)/24
   * and 2001:db8:bb::(10+i)/64. At most 200 hosts, so addresses stay inside one /24.
   */
  static create(names: readonly string[]): Lab {
    if (names.length === 0 || names.length > 200) throw new RangeError('Lab takes 1 to 200 hosts');
    const created: string[] = [];
    try {
      const hub = addNetns();
      created.push(hub);
      run('ip', ['-n', hub, 'link', 'add', 'br0', 'type', 'bridge', 'mcast_snooping', '0']);
      run('ip', ['-n', hub, 'link', 'set', 'br0', 'up']);

      const hosts = names.map((name, index): LabHost => {
        const netns = addNetns();
        created.push(netns);
        const port = `v${index}`;
        const host = {
          name,
          netns,
          v4: `198.18.0.${10 + index}`,
          v6: `2001:db8:bb::${10 + index}`,
        };
        run('ip', [
          '-n',
          hub,
          'link',
          'add',
          port,
          'type',
          'veth',
          'peer',
          'name',
          'eth0',
          'netns',
          netns,
        ]);
        run('ip', ['-n', hub, 'link', 'set', port, 'master', 'br0', 'up']);
        run('ip', ['-n', netns, 'addr', 'add', `${host.v4}/24`, 'dev', 'eth0']);
        // nodad: duplicate address detection would hold the address back for a second or two.
        run('ip', ['-n', netns, 'addr', 'add', `${host.v6}/64`, 'dev', 'eth0', 'nodad']);
        run('ip', ['-n', netns, 'link', 'set', 'eth0', 'up']);
        return host;
      });
      return new Lab(hub, hosts);
    } catch (err) {
      for (const netns of created) deleteNetns(netns);
      throw err;
    }
  }

  /** The host with this name. */
  host(name: string): LabHost {
    const host = this.hosts.find((candidate) => candidate.name === name);
    if (host === undefined) throw new RangeError(`Lab has no host "${name}"`);
    return host;
  }

  /** Runs a command inside a host's namespace and returns its stdout. */
  exec(host: LabHost, args: readonly string[], input?: string): string {
    return run('ip', ['netns', 'exec', host.netns, ...args], input);
  }

  /** Starts a long-running command inside a host's namespace; destroy() kills it. */
  spawn(host: LabHost, args: readonly string[]): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', host.netns, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.add(child);
    liveProcesses.add(child);
    child.on('exit', () => {
      this.children.delete(child);
      liveProcesses.delete(child);
    });
    return child;
  }

  /** Kills this lab's processes and deletes its namespaces; safe to call twice. */
  destroy(): void {
    for (const child of this.children) {
      if (child.exitCode === null) child.kill('SIGKILL');
      liveProcesses.delete(child);
    }
    this.children.clear();
    for (const netns of this.namespaces) deleteNetns(netns);
  }
}

function deleteNetns(netns: string): void {
  if (!liveNamespaces.has(netns)) return;
  spawnSync('ip', ['netns', 'delete', netns], { stdio: 'ignore', timeout: 10_000 });
  liveNamespaces.delete(netns);
}

/** Namespaces created by this process that still exist; empty after destroy(). */
export function liveNamespacesForTest(): readonly string[] {
  return [...liveNamespaces];
}
