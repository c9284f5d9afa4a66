// `analyze`: run the engine on a text and write JSON or print a summary.
import { AttentionEngine } from '../engine/analyze';
import { AttentionLensError } from '../engine/errors';
import { readFailure, readRegularText, TEXT_MAX_BYTES } from '../engine/regularFile';
import { badArgument, parseArgs, positiveInt } from './args';
import { formatSummary } from './summary';
import { writeResultJson } from './writeResultJson';

export const ANALYZE_USAGE = `attention-lens analyze [--model <folder>] (--text <string> | --text-file <file>) [--json <out.json>]
                        [--target <string> | --target-file <file> | --generate <n>]
                        [--variant <quantized|fp16|file.onnx>] [--max-tokens <n>] [--cache-dir <dir>] [--weighting <weights|value-norm>]`;

/** Where a --model value points; undefined means the bundled default model. */
export type ModelFolderResolver = (spec: string | undefined) => Promise<{ folder: string; name?: string }>;

export function readText(file: string, flag = '--text-file'): string {
  try {
    return readRegularText(file, TEXT_MAX_BYTES);
  } catch (e) {
    throw new AttentionLensError('BAD_ARGUMENT', `The text file ${file} ${readFailure(e)}.`, `Give ${flag} a regular text file (a model reads at most a few thousand tokens of it).`, file);
  }
}

export async function analyzeCommand(argv: string[], resolveModelFolder: ModelFolderResolver): Promise<void> {
  const args = parseArgs(argv, ['--model', '--text', '--text-file', '--json', '--variant', '--max-tokens', '--cache-dir', '--weighting', '--target', '--target-file', '--generate'], []);
  const weighting = args.flags.get('--weighting') ?? 'weights';
  if (weighting !== 'weights' && weighting !== 'value-norm') throw badArgument(`--weighting must be "weights" or "value-norm", got "${weighting}".`);
  const inline = args.flags.get('--text');
  const textFile = args.flags.get('--text-file');
  if ((inline === undefined) === (textFile === undefined)) throw badArgument('Give exactly one of --text or --text-file.');
  const text = inline ?? readText(textFile as string);
  const maxTokens = positiveInt(args, '--max-tokens');
  const targetFile = args.flags.get('--target-file');
  const generate = positiveInt(args, '--generate');
  if ([args.flags.get('--target'), targetFile, generate].filter((v) => v !== undefined).length > 1) {
    throw badArgument('Give at most one of --target, --target-file and --generate.');
  }
  const target = args.flags.get('--target') ?? (targetFile === undefined ? undefined : readText(targetFile, '--target-file'));
  const model = await resolveModelFolder(args.flags.get('--model'));
  const engine = await AttentionEngine.open(model.folder, {
    variant: args.flags.get('--variant'),
    cacheDir: args.flags.get('--cache-dir'),
    name: model.name,
  });
  try {
    const result = await engine.analyze(text, { maxTokens, weighting, target, generate });
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
