// `analyze`: run the engine on a text and write JSON or print a summary.
import { AttentionEngine } from '../engine/analyze';
import { LongAttentionEngine } from '../engine/longAnalysis';
import { AttentionLensError } from '../engine/errors';
import { readFailure, readRegularText, TEXT_MAX_BYTES } from '../engine/regularFile';
import { badArgument, parseArgs, positiveInt } from './args';
import { formatQuerySummary, formatSummary } from './summary';
import { fullAttentionJsonBytes, QueryAttention, writeQueryJson, writeResultJson } from './writeResultJson';

export const ANALYZE_USAGE = `attention-lens analyze [--model <folder>] (--text <string> | --text-file <file>) [--json <out.json>]
                        [--target <string> | --target-file <file> | --generate <n>] [--weighting <weights|value-norm>]
                        [--query <token index> [--windows]] [--variant <quantized|fp16|file.onnx>] [--max-tokens <n>] [--cache-dir <dir>]`;

/** The full `attention` array is refused above this estimated JSON size; `--query` writes one row per head instead. */
export const MAX_FULL_JSON_BYTES = 512 * 1024 * 1024;

/** Where a --model value points; undefined means the bundled default model. */
export type ModelFolderResolver = (spec: string | undefined) => Promise<{ folder: string; name?: string }>;

export function readText(file: string, flag = '--text-file'): string {
  try {
    return readRegularText(file, TEXT_MAX_BYTES);
  } catch (e) {
    throw new AttentionLensError('BAD_ARGUMENT', `The text file ${file} ${readFailure(e)}.`, `Give ${flag} a regular text file (a model reads at most a few thousand tokens of it).`, file);
  }
}

function nonNegativeInt(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw badArgument(`${name} must be a token index (0, 1, 2, …), got "${raw}".`);
  return n;
}

const mebibytes = (bytes: number) => `${Math.round(bytes / 2 ** 20).toLocaleString('en-US')} MiB`;

/** Refuses, before the model runs, a full result too large to write or print. */
function checkFullSize(engine: { info: AttentionEngine['info'] }, n: number, arrays = 1): void {
  const { layers, heads, causal } = engine.info;
  const bytes = arrays * fullAttentionJsonBytes(layers, heads, n, causal);
  if (bytes <= MAX_FULL_JSON_BYTES) return;
  throw new AttentionLensError(
    'BAD_ARGUMENT',
    `The full attention of ${n} tokens is ${layers} layers × ${heads} heads × ${n}² weights, about ${mebibytes(bytes)} of JSON, over the ${mebibytes(MAX_FULL_JSON_BYTES)} limit.`,
    `Pass --query <token index> to write one token's exact attention row in every layer and head, or fewer tokens with --max-tokens.`,
  );
}

function checkMaxTokens(engine: { info: AttentionEngine['info'] }, maxTokens: number | undefined): void {
  if (maxTokens !== undefined && maxTokens > engine.info.maxTokens) {
    throw badArgument(`--max-tokens ${maxTokens} is above this model's limit of ${engine.info.maxTokens} tokens.`);
  }
}

function writeFailure(jsonFile: string): (e: NodeJS.ErrnoException) => never {
  return (e) => {
    throw new AttentionLensError('BAD_ARGUMENT', `Cannot write ${jsonFile} (${e.code ?? e.message}).`, 'Check the path given to --json.', jsonFile);
  };
}

export async function analyzeCommand(argv: string[], resolveModelFolder: ModelFolderResolver): Promise<void> {
  const args = parseArgs(argv, ['--model', '--text', '--text-file', '--json', '--variant', '--max-tokens', '--cache-dir', '--query', '--weighting', '--target', '--target-file', '--generate'], ['--windows']);
  const weighting = args.flags.get('--weighting') ?? 'weights';
  if (weighting !== 'weights' && weighting !== 'value-norm') throw badArgument(`--weighting must be "weights" or "value-norm", got "${weighting}".`);
  const inline = args.flags.get('--text');
  const textFile = args.flags.get('--text-file');
  if ((inline === undefined) === (textFile === undefined)) throw badArgument('Give exactly one of --text or --text-file.');
  const text = inline ?? readText(textFile as string);
  const maxTokens = positiveInt(args, '--max-tokens');
  const query = nonNegativeInt(args.flags.get('--query'), '--query');
  const jsonFile = args.flags.get('--json');
  const windows = args.switches.has('--windows');
  if (windows && query === undefined) throw badArgument('--windows needs --query <token index>: windowed results are written one token at a time.');
  const targetFile = args.flags.get('--target-file');
  const generate = positiveInt(args, '--generate');
  if ([args.flags.get('--target'), targetFile, generate].filter((v) => v !== undefined).length > 1) {
    throw badArgument('Give at most one of --target, --target-file and --generate.');
  }
  const target = args.flags.get('--target') ?? (targetFile === undefined ? undefined : readText(targetFile, '--target-file'));
  if (query !== undefined && (target !== undefined || generate !== undefined || weighting !== 'weights')) {
    throw badArgument('--query writes one token\'s attention weights over the text; it does not combine with --target, --target-file, --generate or --weighting value-norm. Run those without --query (and with fewer tokens via --max-tokens if the result is too large).');
  }
  const model = await resolveModelFolder(args.flags.get('--model'));
  const openOptions = { variant: args.flags.get('--variant'), cacheDir: args.flags.get('--cache-dir'), name: model.name };
  if (query !== undefined) return analyzeQuery(await LongAttentionEngine.open(model.folder, openOptions), text, { maxTokens, windows }, query, jsonFile);
  const engine = await AttentionEngine.open(model.folder, openOptions);
  try {
    checkMaxTokens(engine, maxTokens);
    // Decoder-only continuation adds the generated tokens; value-norm writes a second array of the same size.
    const tokens = (await engine.tokenCount(text, { maxTokens })) + (engine.info.decoder ? 0 : generate ?? 0);
    checkFullSize(engine, Math.min(tokens, engine.info.maxTokens), weighting === 'value-norm' ? 2 : 1);
    const result = await engine.analyze(text, { maxTokens, weighting, target, generate });
    if (jsonFile) await writeResultJson(result, jsonFile).catch(writeFailure(jsonFile));
    else process.stdout.write(formatSummary(result) + '\n');
  } finally {
    await engine.dispose();
  }
}

/** `--query i`: token i's exact row in every layer and head, replayed from queries and keys (never N² per head). */
async function analyzeQuery(engine: LongAttentionEngine, text: string, opts: { maxTokens?: number; windows: boolean }, query: number, jsonFile: string | undefined): Promise<void> {
  const { maxTokens, windows } = opts;
  try {
    checkMaxTokens(engine, maxTokens);
    const n = await engine.tokenCount(text, { maxTokens, windows });
    if (query >= n) throw badArgument(`--query ${query} is past the last token: the text has ${n} tokens (indices 0–${n - 1}).`);
    if (engine.method === 'full') {
      process.stderr.write(`attention-lens: keeping every attention matrix for this model (${engine.fallbackReason}).\n`);
      checkFullSize(engine, windows ? Math.min(n, engine.info.maxTokens) : n);
    }
    const result = await engine.analyze(text, { maxTokens, windows });
    const q: QueryAttention = { query, rows: result.queryRows(query) };
    const method = {
      method: result.method,
      ...(result.fallbackReason ? { fallbackReason: result.fallbackReason } : {}),
      ...(result.windows ? { windows: result.windows, windowNote: result.windowNote } : {}),
    };
    if (jsonFile) await writeQueryJson(result, q, jsonFile, method).catch(writeFailure(jsonFile));
    else process.stdout.write(formatQuerySummary(result, q) + '\n');
  } finally {
    await engine.dispose();
  }
}
