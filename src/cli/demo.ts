// `demo`: analyse the bundled sample with the bundled model and print which heads do something recognisable
// (focus, previous token, bracket matching) and what one token attends to. Needs no arguments and no network.
import * as fs from 'fs';
import * as path from 'path';
import { headFocus, headMatrix, meanOfHeads, previousTokenScore, topKeys } from '../engine/attention';
import { AttentionEngine } from '../engine/analyze';
import { bracketPairs, bracketScore, previousTokenQueries } from '../engine/headScores';
import { AttentionLensError } from '../engine/errors';
import { readFailure, readRegularText, TEXT_MAX_BYTES } from '../engine/regularFile';
import type { AttentionResult, Token } from '../engine/types';
import { BUNDLED_MODEL_NAME, bundledModelFolder } from '../models/bundled';
import { badArgument, parseArgs } from './args';

export const DEMO_USAGE = 'attention-lens demo [--token <index>] [--text-file <file>]';

const TOP_HEADS = 4;
const TOP_KEYS = 5;

/** The bundled sample: short code with nested brackets, next to the bundled model. */
export function bundledSampleFile(): string {
  return path.join(bundledModelFolder(), '..', 'samples', 'sample.py');
}

// The bracket and previous-token helpers live with the other head scores; re-exported for existing callers.
export { bracketPairs, bracketScore, previousTokenQueries };

export interface HeadScores {
  layer: number;
  head: number;
  focus: number;
  previousToken: number;
  brackets: number;
}

/** Focus, previous-token and bracket scores of every head. */
export function scoreHeads(r: AttentionResult): HeadScores[] {
  const n = r.tokens.length;
  const real = r.tokens.map((_, i) => i).filter((i) => !r.tokens[i].special);
  const prevQueries = previousTokenQueries(r.tokens);
  const pairs = bracketPairs(r.tokens);
  const scores: HeadScores[] = [];
  r.attention.forEach((layer, l) => {
    for (let h = 0; h < r.model.heads; h++) {
      const m = headMatrix(layer, n, h);
      scores.push({ layer: l, head: h, focus: headFocus(m, n, real), previousToken: previousTokenScore(m, n, prevQueries), brackets: bracketScore(m, n, pairs) });
    }
  });
  return scores;
}

function where(r: AttentionResult, i: number): string {
  const t = r.tokens[i];
  if (t.special) return 'special';
  const before = r.text.slice(0, t.start).split('\n');
  return `line ${before.length}:${before[before.length - 1].length + 1}`;
}

function label(r: AttentionResult, i: number): string {
  return `#${i} ${JSON.stringify(r.tokens[i].text)}`.padEnd(18);
}

function headLine(s: HeadScores): string {
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`.padStart(5);
  return `  L${s.layer} H${s.head}   focus ${s.focus.toFixed(2)}   previous-token ${pct(s.previousToken)}   brackets ${pct(s.brackets)}`;
}

function keysLines(r: AttentionResult, matrix: Float32Array, query: number): string[] {
  return topKeys(matrix, r.tokens.length, query, TOP_KEYS).map(({ key, weight }) =>
    `    ${label(r, key)} ${where(r, key).padEnd(12)} ${weight.toFixed(3)} ${'█'.repeat(Math.round(weight * 30))}`);
}

function tokenList(r: AttentionResult): string[] {
  const lines: string[] = [];
  let line = ' ';
  r.tokens.forEach((t, i) => {
    const item = ` ${i}:${t.text}`;
    if (line.length + item.length > 100) [lines[lines.length], line] = [line, ' '];
    line += item;
  });
  return [...lines, line];
}

/** The token to explain: the user's index, or the closing bracket farthest from its opener. */
function chooseToken(r: AttentionResult, requested: number | undefined): number {
  if (requested !== undefined) {
    if (requested >= r.tokens.length) throw badArgument(`--token must be below ${r.tokens.length} (the sample has ${r.tokens.length} tokens).`);
    return requested;
  }
  let best = r.tokens.findIndex((t) => !t.special);
  let span = -1;
  for (const [close, open] of bracketPairs(r.tokens)) if (close - open > span) [best, span] = [close, close - open];
  return best;
}

/** The report for one analysed text. */
export function formatDemo(r: AttentionResult, sampleName: string, requested?: number): string {
  const scores = scoreHeads(r);
  const by = (key: keyof HeadScores) => [...scores].sort((a, b) => (b[key] as number) - (a[key] as number));
  const token = chooseToken(r, requested);
  const prevBest = by('previousToken')[0];
  const bracketBest = by('brackets')[0];
  const n = r.tokens.length;
  const pairs = bracketPairs(r.tokens);
  const lines = [
    `Attention Lens demo — ${r.model.name}: ${r.model.modelType}, ${r.model.layers} layers × ${r.model.heads} heads`,
    `Sample: ${sampleName} (${n} tokens, ${pairs.size} bracket pairs; model run ${r.timings.runMs.toFixed(0)} ms)`,
    '',
    'Tokens (index:text; pick one with --token <index>):',
    ...tokenList(r),
    '',
    'Most focused heads (focus = mean of each row\'s strongest weight):',
    ...by('focus').slice(0, TOP_HEADS).map(headLine),
    '',
    'Previous-token heads (share of tokens whose strongest key is the token before):',
    ...by('previousToken').slice(0, TOP_HEADS).map(headLine),
    '',
    'Bracket-matching heads (share of ), ], } whose strongest key is the matching opener):',
    ...(pairs.size ? by('brackets').slice(0, TOP_HEADS).map(headLine) : ['  (the text has no bracket pairs)']),
    '',
    `What ${label(r, token).trim()} at ${where(r, token)} attends to${pairs.has(token) ? ` (its opener is #${pairs.get(token)})` : ''}:`,
    `  in L${bracketBest.layer} H${bracketBest.head}, the best bracket head:`,
    ...keysLines(r, headMatrix(r.attention[bracketBest.layer], n, bracketBest.head), token),
    `  in L${prevBest.layer} H${prevBest.head}, the best previous-token head:`,
    ...keysLines(r, headMatrix(r.attention[prevBest.layer], n, prevBest.head), token),
    `  mean of the heads of layer ${bracketBest.layer}:`,
    ...keysLines(r, meanOfHeads(r.attention[bracketBest.layer], r.model.heads, n), token),
  ];
  return lines.join('\n');
}

function readSample(file: string): string {
  try {
    return readRegularText(file, TEXT_MAX_BYTES);
  } catch (e) {
    throw new AttentionLensError('BAD_ARGUMENT', `The sample ${file} ${readFailure(e)}.`, 'Reinstall Attention Lens, or pass --text-file <file>.', file);
  }
}

export async function runDemo(args: string[]): Promise<number> {
  const parsed = parseArgs(args, ['--token', '--text-file'], []);
  const rawToken = parsed.flags.get('--token');
  const token = rawToken === undefined ? undefined : Number(rawToken);
  if (token !== undefined && !(Number.isInteger(token) && token >= 0)) throw badArgument(`--token must be a token index (0, 1, 2, …), got "${rawToken}".`);
  const file = parsed.flags.get('--text-file') ?? bundledSampleFile();
  const text = readSample(file);
  const engine = await AttentionEngine.open(bundledModelFolder(), { name: BUNDLED_MODEL_NAME });
  try {
    const result = await engine.analyze(text);
    process.stdout.write(formatDemo(result, path.basename(file), token) + '\n');
  } finally {
    await engine.dispose();
  }
  return 0;
}
