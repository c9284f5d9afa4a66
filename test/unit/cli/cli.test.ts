// The CLI as a user runs it: `node dist/cli.js analyze …` writes the documented JSON, and every failure is one
// line on stderr with a non-zero exit code.
import * as assert from 'assert';
import { buildCliBundles, CLI } from '../../support/buildCli';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BROKEN, MODELS, readReference, tempDir } from '../engine/helpers';


function cli(...args: string[]): { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  return cliIn(process.cwd(), ...args);
}

function cliIn(cwd: string, ...args: string[]): { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function assertOneLineFailure(r: { code: number | null; stderr: string }, mention: RegExp): void {
  assert.notStrictEqual(r.code, 0);
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  assert.strictEqual(lines.length, 1, `stderr: ${r.stderr}`);
  assert.match(lines[0], /^attention-lens: /);
  assert.match(lines[0], mention);
  assert.doesNotMatch(lines[0], /\n\s+at /);
}

let cacheHome: string;

describe('attention-lens CLI', function () {
  this.timeout(120000);
  before(async () => {
    cacheHome = tempDir('cli-cache');
    await buildCliBundles();
  });

  it('--help prints usage', () => {
    const r = cli('--help');
    assert.strictEqual(r.code, 0);
    assert.match(r.stdout, /analyze .*--model/s);
  });

  it('writes the documented JSON, equal to the PyTorch reference', () => {
    const ref = readReference('bert.json');
    const c = ref.cases[0];
    const dir = tempDir('cli');
    const textFile = path.join(dir, 'text.txt');
    fs.writeFileSync(textFile, c.text);
    const out = path.join(dir, 'out.json');
    const r = cli('analyze', '--model', path.join(MODELS, 'bert'), '--text-file', textFile, '--json', out);
    assert.strictEqual(r.code, 0, r.stderr);
    const json = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.deepStrictEqual(Object.keys(json).sort(), ['attention', 'coveredRange', 'model', 'timings', 'tokens', 'truncated']);
    assert.deepStrictEqual(
      [json.model.name, json.model.layers, json.model.heads, json.model.causal, json.model.maxTokens],
      ['bert', ref.layers, ref.heads, false, JSON.parse(fs.readFileSync(path.join(MODELS, 'bert', 'config.json'), 'utf8')).max_position_embeddings],
    );
    assert.deepStrictEqual(json.tokens.map((t: { id: number }) => t.id), c.ids);
    assert.deepStrictEqual(Object.keys(json.tokens[1]).sort(), ['end', 'id', 'special', 'start', 'text']);
    assert.deepStrictEqual([json.truncated, json.coveredRange], [false, { start: 0, end: c.text.length }]);
    const n = c.ids.length;
    assert.deepStrictEqual([json.attention.length, json.attention[0].length, json.attention[0][0].length, json.attention[0][0][0].length], [ref.layers, ref.heads, n, n]);
    let maxDiff = 0;
    json.attention.forEach((layer: number[][][], l: number) =>
      layer.forEach((head, h) => head.forEach((row, q) => row.forEach((v, k) => (maxDiff = Math.max(maxDiff, Math.abs(v - c.attention[l][h][q][k])))))),
    );
    assert.ok(maxDiff < 1e-5, `max |Δ| ${maxDiff}`);
    assert.ok(typeof json.timings.totalMs === 'number');
  });

  it('--text with --max-tokens cuts and reports the covered range; the summary is readable', () => {
    const dir = tempDir('cli');
    const out = path.join(dir, 'out.json');
    const r = cli('analyze', '--model', path.join(MODELS, 'gpt2'), '--text', 'one two three four five six', '--max-tokens', '4', '--json', out);
    assert.strictEqual(r.code, 0, r.stderr);
    const json = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.deepStrictEqual([json.truncated, json.tokens.length, json.model.causal], [true, 4, true]);
    assert.ok(json.coveredRange.end < 'one two three four five six'.length);
    assert.strictEqual(json.attention[0][0][0][1], 0, 'causal: nothing above the diagonal');
    const summary = cli('analyze', '--model', path.join(MODELS, 'gpt2'), '--text', 'one two three');
    assert.strictEqual(summary.code, 0, summary.stderr);
    assert.match(summary.stdout, /Model: gpt2/);
    assert.match(summary.stdout, /layer 1: head \d/);
  });

  it('an encoder–decoder with --target-file writes encoder, decoder and cross-attention equal to PyTorch', () => {
    const ref = readReference('bart.json');
    const c = ref.cases[0];
    const target = c.target!;
    const dir = tempDir('cli');
    fs.writeFileSync(path.join(dir, 'source.txt'), c.text);
    fs.writeFileSync(path.join(dir, 'target.txt'), target.text);
    const out = path.join(dir, 'out.json');
    const r = cli('analyze', '--model', path.join(MODELS, 'bart'), '--text-file', path.join(dir, 'source.txt'), '--target-file', path.join(dir, 'target.txt'), '--json', out);
    assert.strictEqual(r.code, 0, r.stderr);
    const json = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.deepStrictEqual(json.tokens.map((t: { id: number }) => t.id), c.ids);
    assert.deepStrictEqual(Object.keys(json.target).sort(), ['attention', 'crossAttention', 'generated', 'text', 'tokens']);
    assert.deepStrictEqual([json.target.text, json.target.generated], [target.text, false]);
    assert.deepStrictEqual(json.target.tokens.map((t: { id: number }) => t.id), target.decoder_input_ids);
    assert.deepStrictEqual(json.target.tokens[0], { id: ref.decoder_start_token_id, text: '</s>', start: 0, end: 0, special: true });
    let maxDiff = 0;
    const compare = (actual: number[][][][], expected: number[][][][]) =>
      expected.forEach((layer, l) => layer.forEach((head, h) => head.forEach((row, q) => row.forEach((v, k) => (maxDiff = Math.max(maxDiff, Math.abs(actual[l][h][q][k] - v)))))));
    compare(json.attention, c.attention);
    compare(json.target.attention, target.attention);
    compare(json.target.crossAttention, target.cross_attention);
    assert.strictEqual(json.target.crossAttention[0][0][0].length, c.ids.length, 'cross-attention rows span the source');
    assert.ok(maxDiff < 1e-5, `max |Δ| ${maxDiff}`);
    const summary = cli('analyze', '--model', path.join(MODELS, 'bart'), '--text', c.text, '--generate', '3');
    assert.strictEqual(summary.code, 0, summary.stderr);
    assert.match(summary.stdout, /Target \(generated greedily\)/);
    assert.match(summary.stdout, /cross-attention, last layer/);
  });

  it('--generate continues a decoder-only text with PyTorch\'s greedy tokens', () => {
    const ref = readReference('llama-kv-cache.json');
    const c = ref.cases[0];
    const out = path.join(tempDir('cli'), 'out.json');
    const r = cli('analyze', '--model', path.join(MODELS, 'llama-kv-cache'), '--text', c.text, '--generate', String(ref.generate_steps), '--json', out);
    assert.strictEqual(r.code, 0, r.stderr);
    const json = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.deepStrictEqual(json.tokens.map((t: { id: number }) => t.id), [...c.ids, ...c.generated_ids!]);
    assert.deepStrictEqual(json.continuation, { start: c.text.length, firstToken: c.ids.length });
    assert.strictEqual(json.attention[0][0].length, c.ids.length + c.generated_ids!.length);
    const bad = cli('analyze', '--model', path.join(MODELS, 'llama-kv-cache'), '--text', 'x', '--target', 'y');
    assertOneLineFailure(bad, /not an encoder–decoder/);
  });

  it('fails with one line on stderr and a non-zero exit code', () => {
    assertOneLineFailure(cli('analyze', '--model', path.join(tempDir('cli'), 'missing'), '--text', 'x'), /missing/);
    assertOneLineFailure(cli('analyze', '--model', path.join(BROKEN, 'fused-attention'), '--text', 'x'), /fused/);
    assertOneLineFailure(cli('analyze', '--model', path.join(MODELS, 'bert')), /--text/);
    assertOneLineFailure(cli('analyze', '--model', path.join(MODELS, 'bert'), '--text', 'x', '--bogus'), /Unknown argument/);
    assertOneLineFailure(cli('analyze', '--model', path.join(MODELS, 'bert'), '--text', 'x', '--max-tokens', 'ten'), /--max-tokens/);
    assertOneLineFailure(cli('analyze', '--model', path.join(MODELS, 'bert'), '--text-file', '/nonexistent/t.txt'), /text file/);
    assertOneLineFailure(cli('frobnicate'), /unknown command/);
  });

  it('analyzes a --text of 16,500 characters like the same text from --text-file (no stack overflow)', () => {
    const text = 'word '.repeat(3300);
    const r = cli('analyze', '--text', text);
    assert.strictEqual(r.signal, null, `the CLI died with ${r.signal}`);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stdout, /Tokens: 512 \(text cut/);
  });

  it('a run that fails inside onnxruntime prints exactly one line, none of onnxruntime\'s own', () => {
    // A config that claims more positions than the graph's position table: the run fails in an Add node.
    const folder = path.join(tempDir('cli'), 'bert');
    fs.cpSync(path.join(MODELS, 'bert'), folder, { recursive: true });
    const config = JSON.parse(fs.readFileSync(path.join(folder, 'config.json'), 'utf8'));
    fs.writeFileSync(path.join(folder, 'config.json'), JSON.stringify({ ...config, max_position_embeddings: 100000 }));
    assertOneLineFailure(cli('analyze', '--model', folder, '--text', 'word '.repeat(700)), /onnxruntime|position/);
  });

  it('--text-file that is a device or a FIFO fails with one line instead of hanging', () => {
    assertOneLineFailure(cli('analyze', '--text-file', '/dev/zero'), /device, not a regular file/);
    const fifo = path.join(tempDir('cli'), 'text.fifo');
    spawnSync('mkfifo', [fifo]);
    assertOneLineFailure(cli('analyze', '--text-file', fifo), /named pipe/);
  });

  it('a Hub id served from a same-named folder under the cwd says so; a failure is still one line', () => {
    const cwd = tempDir('cli-cwd');
    const local = path.join(cwd, 'Xenova', 'bert-tiny');
    fs.cpSync(path.join(MODELS, 'bert'), local, { recursive: true });
    const ok = cliIn(cwd, 'analyze', '--model', 'Xenova/bert-tiny', '--text', 'hello');
    assert.strictEqual(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /^attention-lens: Using the local folder .*Xenova\/bert-tiny for "Xenova\/bert-tiny", not the Hugging Face model/);
    fs.rmSync(path.join(local, 'tokenizer.json'));
    assertOneLineFailure(cliIn(cwd, 'analyze', '--model', 'Xenova/bert-tiny', '--text', 'hello'), /tokenizer\.json is missing/);
  });
});
