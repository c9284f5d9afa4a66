// `heads`: score every layer × head on a text (entropy, distance, previous-token, brackets, sinks, … and the
// induction probe on causal models) and write JSON or print a table, best heads first.
import { AttentionEngine } from '../engine/analyze';
import { findHeads, HeadFinderResult } from '../engine/headFinder';
import { HeadScoreRow, ScoreName, SCORE_DESCRIPTIONS, SCORE_NAMES } from '../engine/headScores';
import type { ModelFolderResolver } from './analyzeCommand';
import { readText } from './analyzeCommand';
import { badArgument, parseArgs, positiveInt } from './args';
import { resultHeader } from './writeResultJson';
import { writeJsonFile } from './writeJsonFile';

export const HEADS_USAGE = `attention-lens heads [--model <folder|hub id>] (--text <string> | --text-file <file>) [--json <out.json>]
                      [--sort <${SCORE_NAMES.join('|')}>] [--variant <v>] [--max-tokens <n>] [--cache-dir <dir>]`;

/** Scores that name a recognisable pattern: a head's "role" is the strongest of them. */
const PATTERN_SCORES: ScoreName[] = ['previousToken', 'brackets', 'identifiers', 'induction', 'duplicate', 'self'];
/** Shown as plain numbers; every other score is a share, shown as a percentage. */
const PLAIN: ScoreName[] = ['entropy', 'distance'];
const SHORT: Record<ScoreName, string> = {
  entropy: 'entropy', distance: 'dist', self: 'self', previousToken: 'prev', sink: 'sink', punctuation: 'punct',
  brackets: 'brackets', identifiers: 'ident', induction: 'induct', duplicate: 'dup',
};

/** A head's strongest pattern score and its name, or undefined when none applies. */
export function headRole(row: HeadScoreRow): { score: ScoreName; value: number } | undefined {
  let best: { score: ScoreName; value: number } | undefined;
  for (const score of PATTERN_SCORES) {
    const value = row.scores[score];
    if (value !== null && (!best || value > best.value)) best = { score, value };
  }
  return best;
}

/** Best first: by the chosen score (entropy: lowest first), or by each head's strongest pattern. */
export function rankHeads(rows: HeadScoreRow[], sort?: ScoreName): HeadScoreRow[] {
  const key = (r: HeadScoreRow): number => {
    if (!sort) return headRole(r)?.value ?? -Infinity;
    const v = r.scores[sort];
    if (v === null) return -Infinity;
    return sort === 'entropy' ? -v : v;
  };
  return [...rows].sort((a, b) => key(b) - key(a) || a.layer - b.layer || a.head - b.head);
}

function cell(score: ScoreName, v: number | null): string {
  const text = v === null ? '–' : PLAIN.includes(score) ? v.toFixed(2) : `${(100 * v).toFixed(0)}%`;
  return text.padStart(Math.max(SHORT[score].length, 5));
}

export function formatHeadTable(found: HeadFinderResult, sort?: ScoreName): string {
  const { result: r, heads, probe } = found;
  const header = ['head'.padEnd(7), 'role'.padEnd(14), ...SCORE_NAMES.map((s) => SHORT[s].padStart(Math.max(SHORT[s].length, 5))), ' sinks'].join(' ');
  const sinkLabel = (i: number) => `#${i} ${JSON.stringify(r.tokens[i].special ? r.tokens[i].text : r.text.slice(r.tokens[i].start, r.tokens[i].end))}`;
  const rows = rankHeads(heads, sort).map((row) => {
    const role = headRole(row);
    const sinks = row.sinkTokens.map(sinkLabel).join(', ');
    return [`L${row.layer} H${row.head}`.padEnd(7), (role ? `${SHORT[role.score]} ${(100 * role.value).toFixed(0)}%` : '').padEnd(14), ...SCORE_NAMES.map((s) => cell(s, row.scores[s])), ` ${sinks}`].join(' ').trimEnd();
  });
  const probeLine = probe
    ? `induction / duplicate: probe of ${probe.samples} random sequences of ${probe.length} ordinary tokens, each repeated twice (fixed seed)`
    : 'induction / duplicate: – (the probe applies to causal models only)';
  return [
    `Heads of ${r.model.name} (${r.model.layers} layers × ${r.model.heads} heads, ${r.model.causal ? 'causal' : 'bidirectional'}) on ${r.tokens.length} tokens, ${sort ? `sorted by ${sort}` : 'strongest pattern first'}:`,
    '',
    header,
    ...rows,
    '',
    ...SCORE_NAMES.map((s) => `  ${SHORT[s].padEnd(8)} ${SCORE_DESCRIPTIONS[s]}`),
    `  ${probeLine}`,
    '  sinks    keys that are the strongest key of more than half of all queries (attention sinks)',
    '  Layers and heads count from 0.',
  ].join('\n');
}

/** The documented JSON: model, how the probe ran, what each score means, one entry per head. */
export function headsJson(found: HeadFinderResult): Record<string, unknown> {
  const header = resultHeader(found.result);
  return {
    model: header.model,
    tokens: header.tokens,
    probe: found.probe ?? null,
    descriptions: SCORE_DESCRIPTIONS,
    heads: found.heads.map((h) => ({ layer: h.layer, head: h.head, scores: h.scores, sinkTokens: h.sinkTokens })),
  };
}

export async function headsCommand(argv: string[], resolveModelFolder: ModelFolderResolver): Promise<void> {
  const args = parseArgs(argv, ['--model', '--text', '--text-file', '--json', '--sort', '--variant', '--max-tokens', '--cache-dir'], []);
  const inline = args.flags.get('--text');
  const textFile = args.flags.get('--text-file');
  if ((inline === undefined) === (textFile === undefined)) throw badArgument('Give exactly one of --text or --text-file.');
  const sort = args.flags.get('--sort') as ScoreName | undefined;
  if (sort !== undefined && !SCORE_NAMES.includes(sort)) throw badArgument(`--sort must be one of ${SCORE_NAMES.join(', ')}; got "${sort}".`);
  const text = inline ?? readText(textFile as string);
  const maxTokens = positiveInt(args, '--max-tokens');
  const model = await resolveModelFolder(args.flags.get('--model'));
  const engine = await AttentionEngine.open(model.folder, { variant: args.flags.get('--variant'), cacheDir: args.flags.get('--cache-dir'), name: model.name });
  try {
    const found = await findHeads(engine, text, { maxTokens });
    const jsonFile = args.flags.get('--json');
    if (jsonFile) writeJsonFile(jsonFile, headsJson(found));
    else process.stdout.write(formatHeadTable(found, sort) + '\n');
  } finally {
    await engine.dispose();
  }
}
