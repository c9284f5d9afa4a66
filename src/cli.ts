#!/usr/bin/env node
// Headless entry point: a table of subcommands over the engine. Errors end as one line on stderr, exit code 1.
import * as fs from 'fs';
import * as path from 'path';
import { analyzeCommand, ANALYZE_USAGE } from './cli/analyzeCommand';
import { describeError } from './engine/errors';
import { bundledModelFolder } from './models/bundled';

/** The one place that turns a --model value into a folder (Hub ids plug in here). */
async function resolveModelFolder(spec: string | undefined): Promise<{ folder: string; name?: string }> {
  if (spec === undefined) return { folder: bundledModelFolder(), name: 'bundled default model' };
  return { folder: path.resolve(spec) };
}

const COMMANDS: Record<string, { usage: string; run: (argv: string[]) => Promise<void> }> = {
  analyze: { usage: ANALYZE_USAGE, run: (argv) => analyzeCommand(argv, resolveModelFolder) },
};

function usage(): string {
  return ['Usage:', ...Object.values(COMMANDS).map((c) => '  ' + c.usage), '  attention-lens --help'].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || rest.includes('--help')) {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 1;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`attention-lens: unknown command "${name}". Run with --help for usage.\n`);
    return 2;
  }
  await command.run(rest);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    fs.writeSync(2, `attention-lens: ${describeError(e)}\n`);
    process.exitCode = 1;
  },
);
