// Minimal `--flag value` parsing for the CLI; unknown flags are errors, not silently ignored.
import { AttentionLensError } from '../engine/errors';

export interface ParsedArgs {
  flags: Map<string, string>;
  switches: Set<string>;
}

/** Parses `args` given the flags that take a value and the ones that do not. */
export function parseArgs(args: string[], valued: readonly string[], boolean: readonly string[]): ParsedArgs {
  const flags = new Map<string, string>();
  const switches = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.indexOf('=');
    const name = eq > 0 && arg.startsWith('--') ? arg.slice(0, eq) : arg;
    if (boolean.includes(name)) {
      switches.add(name);
    } else if (valued.includes(name)) {
      const value = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : args[++i];
      if (value === undefined) throw badArgument(`${name} needs a value.`);
      flags.set(name, value);
    } else {
      throw badArgument(`Unknown argument "${arg}".`);
    }
  }
  return { flags, switches };
}

export function badArgument(message: string): AttentionLensError {
  return new AttentionLensError('BAD_ARGUMENT', message, 'Run with --help for usage.');
}

/** A positive integer flag, or undefined when absent. */
export function positiveInt(args: ParsedArgs, name: string): number | undefined {
  const raw = args.flags.get(name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw badArgument(`${name} must be a positive integer, got "${raw}".`);
  return n;
}
