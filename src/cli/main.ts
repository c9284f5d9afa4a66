#!/usr/bin/env node
// Headless entry point: a table of subcommands over the engine. Errors end as one line on stderr, exit code 1.
import * as fs from 'fs';
import { analyzeCommand, ANALYZE_USAGE } from './analyzeCommand';
import { compareCommand, COMPARE_USAGE } from './compareCommand';
import { DEMO_USAGE, runDemo } from './demo';
import { headsCommand, HEADS_USAGE } from './headsCommand';
import { describeError } from '../engine/errors';
import { createProgressBar } from './progressBar';
import { resolveModelSpec } from '../models/resolveModel';

/** Notices (a cached copy used, a local folder chosen over a Hub id) are printed after success only: a failure is one line. */
const notices: string[] = [];

/** The one place that turns a --model value (folder or Hub id[@revision]) into a folder; Hub downloads draw a bar on a TTY. */
async function resolveModelFolder(spec: string | undefined, variant?: string): Promise<{ folder: string; name?: string }> {
  const bar = createProgressBar(process.stderr);
  try {
    const model = await resolveModelSpec(spec, {
      variant,
      cwd: process.cwd(),
      onProgress: bar.onProgress,
      onNotice: (message) => notices.push(message),
    });
    return { folder: model.folder, name: model.label };
  } finally {
    bar.done();
  }
}

/** `--name value` or `--name=value` from raw argv, so the Hub download fetches the variant the engine will open. */
function flagValue(argv: string[], name: string): string | undefined {
  const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  return argv[i] === name ? argv[i + 1] : argv[i].slice(name.length + 1);
}

const COMMANDS: Record<string, { usage: string; run: (argv: string[]) => Promise<void> }> = {
  analyze: { usage: ANALYZE_USAGE, run: (argv) => analyzeCommand(argv, (spec) => resolveModelFolder(spec, flagValue(argv, '--variant'))) },
  heads: { usage: HEADS_USAGE, run: (argv) => headsCommand(argv, (spec) => resolveModelFolder(spec, flagValue(argv, '--variant'))) },
  compare: { usage: COMPARE_USAGE, run: (argv) => compareCommand(argv, resolveModelFolder) },
  demo: { usage: DEMO_USAGE, run: async (argv) => void (await runDemo(argv)) }, // failures throw AttentionLensError
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
    for (const message of notices) fs.writeSync(2, `attention-lens: ${message}\n`);
    process.exitCode = code;
  },
  (e) => {
    fs.writeSync(2, `attention-lens: ${describeError(e)}\n`);
    process.exitCode = 1;
  },
);
