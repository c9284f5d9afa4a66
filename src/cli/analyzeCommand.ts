// `analyze`: run the engine on a text and write JSON or print a summary.
import { AttentionEngine } from '../engine/analyze';
import { AttentionLensError } from '../engine/errors';
import { readFailure, readRegularText, TEXT_MAX_BYTES } from '../engine/regularFile';
import { badArgument, parseArgs, positiveInt } from './args';
import { formatSummary } from './summary';
import { writeResultJson } from './writeResultJson';

export const ANALYZE_USAGE = `attention-lens analyze [--model <folder>] (--text <string> | --text-file <file>) [--json <out.json>]
                        [--variant <quantized|fp16|file.onnx>] [--max-tokens <n>] [--cache-dir <dir>]`;

/** Where a --model value points; undefined means the bundled default model. */
export type ModelFolderResolver = (spec: string | undefined) => Promise<{ folder: string; name?: string }>;

function readText(file: string): string {
  try {
    return readRegularText(file, TEXT_MAX_BYTES);
  } catch (e) {
    throw new AttentionLensError('BAD_ARGUMENT', `The text file ${file} ${readFailure(e)}.`, 'Give --text-file a regular text file (a model reads at most a few thousand tokens of it).', file);
  }
}

export async function analyzeCommand(argv: string[], resolveModelFolder: ModelFolderResolver): Promise<void> {
  const args = parseArgs(argv, ['--model', '--text', '--text-file', '--json', '--variant', '--max-tokens', '--cache-dir'], []);
  const inline = args.flags.get('--text');
  const textFile = args.flags.get('--text-file');
  if ((inline === undefined) === (textFile === undefined)) throw badArgument('Give exactly one of --text or --text-file.');
  const text = inline ?? readText(textFile as string);
  const maxTokens = positiveInt(args, '--max-tokens');
  const model = await resolveModelFolder(args.flags.get('--model'));
  const engine = await AttentionEngine.open(model.folder, {
    variant: args.flags.get('--variant'),
    cacheDir: args.flags.get('--cache-dir'),
    name: model.name,
  });
  try {
    const result = await engine.analyze(text, { maxTokens });
    const jsonFile = args.flags.get('--json');
    if (jsonFile) {
      await writeResultJson(result, jsonFile).catch((e: NodeJS.ErrnoException) => {
        throw new AttentionLensError('BAD_ARGUMENT', `Cannot write ${jsonFile} (${e.code ?? e.message}).`, 'Check the path given to --json.', jsonFile);
      });
    } else {
      process.stdout.write(formatSummary(result) + '\n');
    }
  } finally {
    await engine.dispose();
  }
}
