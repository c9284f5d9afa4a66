// `compare`: the same text under two models (or two variants of one), per-head Jensen–Shannon distance of their
// attention, written as JSON or printed most different first.
import { AttentionEngine } from '../engine/analyze';
import { compareAttention, Comparison } from '../engine/compare';
import type { AttentionResult } from '../engine/types';
import { readText } from './analyzeCommand';
import { badArgument, parseArgs, positiveInt } from './args';
import { writeJsonFile } from './writeJsonFile';

export const COMPARE_USAGE = `attention-lens compare --model <folder|hub id> --against <folder|hub id> (--text <string> | --text-file <file>)
                        [--json <out.json>] [--variant <v>] [--against-variant <v>] [--max-tokens <n>] [--cache-dir <dir>]`;

/** Where a model value points; the variant is passed so a Hub download fetches the file the engine will open. */
export type VariantResolver = (spec: string | undefined, variant: string | undefined) => Promise<{ folder: string; name?: string }>;

async function analyzeWith(resolve: VariantResolver, spec: string, variant: string | undefined, cacheDir: string | undefined, text: string, maxTokens?: number): Promise<AttentionResult> {
  const model = await resolve(spec, variant);
  const name = variant ? `${model.name ?? spec} (${variant})` : model.name;
  const engine = await AttentionEngine.open(model.folder, { variant, cacheDir, name });
  try {
    return await engine.analyze(text, { maxTokens });
  } finally {
    await engine.dispose();
  }
}

export function compareJson(c: Comparison, a: AttentionResult, b: AttentionResult): Record<string, unknown> {
  const model = (r: AttentionResult) => ({ name: r.model.name, onnxFile: r.model.onnxFile, layers: r.model.layers, heads: r.model.heads, tokens: r.tokens.length });
  return { granularity: c.granularity, models: [model(a), model(b)], notes: c.notes, heads: c.heads };
}

export function formatComparison(c: Comparison, a: AttentionResult, b: AttentionResult): string {
  const ranked = [...c.heads].sort((x, y) => (y.distance ?? -1) - (x.distance ?? -1) || x.layer - y.layer || x.head - y.head);
  const mean = c.heads.filter((h) => h.distance !== null).reduce((s, h, _, all) => s + (h.distance as number) / all.length, 0);
  return [
    `${a.model.name} vs ${b.model.name}: ${c.granularity}-level, mean Jensen–Shannon distance ${mean.toFixed(4)} (0 = identical attention, 1 = disjoint)`,
    ...c.notes.map((n) => `  ${n}`),
    '',
    'Most different heads first:',
    ...ranked.map((h) => `  L${h.layer} H${h.head}  ${h.distance === null ? '–' : h.distance.toFixed(4)}`),
  ].join('\n');
}

export async function compareCommand(argv: string[], resolve: VariantResolver): Promise<void> {
  const args = parseArgs(argv, ['--model', '--against', '--text', '--text-file', '--json', '--variant', '--against-variant', '--max-tokens', '--cache-dir'], []);
  const inline = args.flags.get('--text');
  const textFile = args.flags.get('--text-file');
  if ((inline === undefined) === (textFile === undefined)) throw badArgument('Give exactly one of --text or --text-file.');
  const first = args.flags.get('--model');
  const second = args.flags.get('--against');
  if (first === undefined || second === undefined) throw badArgument('Give both --model <a> and --against <b> (a folder or Hub id each; the same one twice with --against-variant compares two variants).');
  const text = inline ?? readText(textFile as string);
  const maxTokens = positiveInt(args, '--max-tokens');
  const cacheDir = args.flags.get('--cache-dir');
  // One model open at a time: two large models side by side would double peak memory for no gain.
  const a = await analyzeWith(resolve, first, args.flags.get('--variant'), cacheDir, text, maxTokens);
  const b = await analyzeWith(resolve, second, args.flags.get('--against-variant'), cacheDir, text, maxTokens);
  const comparison = compareAttention(a, b);
  const jsonFile = args.flags.get('--json');
  if (jsonFile) writeJsonFile(jsonFile, compareJson(comparison, a, b));
  else process.stdout.write(formatComparison(comparison, a, b) + '\n');
}
