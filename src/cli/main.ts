#!/usr/bin/env node
import { Command } from 'commander';

import { registerAnalyze } from './commands/analyze.js';
import { POLICY_SCHEMA } from '../policy/schema/index.js';
import { registerRisk } from './commands/classify.js';
import { registerCollect } from './commands/collect.js';
import { registerCompile } from './commands/compile.js';
import { registerDemo } from './commands/demo.js';
import { registerDiscover } from './commands/discover.js';
import { registerImport } from './commands/import.js';
import { registerLabel } from './commands/label.js';
import { registerMap } from './commands/map.js';
import { registerPolicy } from './commands/policy.js';
import { registerRecommend } from './commands/recommend.js';

/** Builds the `bulkhead` command with every verb registered. */
export function createProgram(): Command {
  const program = new Command('bulkhead')
    .description('Bulkhead: stop lateral movement with label-based, default-deny policy as code')
    .option(
      '--workspace <dir>',
      'workspace folder (default: nearest .bulkhead/ upwards, or $BULKHEAD_WORKSPACE)',
    )
    .showHelpAfterError()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })
    .exitOverride((error) => {
      // Usage errors exit 2 (DESIGN.md); help and version exit 0.
      process.exit(error.exitCode === 0 ? 0 : 2);
    });

  registerDiscover(program);
  registerCollect(program);
  registerLabel(program);
  registerMap(program);
  registerRisk(program);
  registerRecommend(program);
  registerPolicy(program);
  registerImport(program);
  registerAnalyze(program);
  registerCompile(program);
  registerDemo(program);
  program
    .command('schema')
    .description('print the JSON Schema of the policy file, for editor completion')
    .action(() => {
      process.stdout.write(JSON.stringify(POLICY_SCHEMA, null, 2) + '\n');
    });
  return program;
}

// A reader that stops early (`bulkhead map | head`) closes the pipe: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

await createProgram().parseAsync(process.argv);
