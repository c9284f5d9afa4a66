// What the heatmap should show, from the engine itself: runs the built CLI (`dist/cli.js analyze --json`) on the
// same text and model as the extension, so the expected token labels are computed, never hard-coded.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';

const execFileAsync = promisify(execFile);

export interface CliToken {
  text: string;
  start: number;
  end: number;
  special: boolean;
}

export interface CliAnalysis {
  model: { name: string; layers: number; heads: number };
  tokens: CliToken[];
  truncated: boolean;
}

/** The JSON header (everything before the attention tensor), read without loading the tensor into memory. */
function readHeader(file: string): CliAnalysis {
  const marker = ',"attention":[';
  const fd = fs.openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    let text = '';
    for (;;) {
      const read = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) throw new Error(`${file} has no attention array`);
      text += chunk.toString('utf8', 0, read);
      const at = text.indexOf(marker);
      if (at >= 0) return JSON.parse(text.slice(0, at) + '}') as CliAnalysis;
    }
  } finally {
    fs.closeSync(fd);
  }
}

export async function analyzeWithCli(repoRoot: string, text: string, options: { model?: string; maxTokens: number }): Promise<CliAnalysis> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attention-lens-e2e-cli-'));
  try {
    const textFile = path.join(dir, 'input.txt');
    const jsonFile = path.join(dir, 'result.json');
    fs.writeFileSync(textFile, text);
    const args = [path.join(repoRoot, 'dist', 'cli.js'), 'analyze', '--text-file', textFile, '--json', jsonFile, '--max-tokens', String(options.maxTokens)];
    if (options.model) args.push('--model', options.model);
    await execFileAsync(process.execPath, args, { cwd: repoRoot, timeout: 120_000, maxBuffer: 16 << 20 });
    return readHeader(jsonFile);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
