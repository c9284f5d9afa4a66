// Files that are not what their names promise: a FIFO or /dev/zero named config.json or tokenizer.json gives a clear
// message at once instead of hanging or filling memory, and a huge text is cut before it is tokenized.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { AttentionEngine } from '../../../src/engine/analyze';
import { isAttentionLensError } from '../../../src/engine/errors';
import { endOfSequenceIds } from '../../../src/engine/generate';
import { readRegularFile } from '../../../src/engine/regularFile';
import { listCachedModels } from '../../../src/models/hub/hubList';
import { TextTokenizer } from '../../../src/engine/tokenize';
import { bundledModelFolder } from '../../../src/models/bundled';
import { copyModel, MODELS, tempDir } from './helpers';

function mkfifo(file: string): void {
  fs.rmSync(file, { force: true });
  execFileSync('mkfifo', [file]);
}

async function rejectsWith(promise: Promise<unknown>, code: string, mention: RegExp): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(isAttentionLensError(e), String(e));
    assert.strictEqual(e.code, code, e.message);
    assert.match(e.message, mention);
    return true;
  });
}

describe('special files in a model folder', function () {
  this.timeout(20000);

  it('a config.json that is a FIFO is refused at once, not waited on', async () => {
    const folder = copyModel('bert');
    mkfifo(path.join(folder, 'config.json'));
    await rejectsWith(AttentionEngine.open(folder, { cacheDir: tempDir('cache') }), 'CONFIG_INVALID', /named pipe/);
  });

  it('a tokenizer.json that links to /dev/zero is refused, not read forever', async () => {
    const folder = copyModel('bert');
    fs.rmSync(path.join(folder, 'tokenizer.json'));
    fs.symlinkSync('/dev/zero', path.join(folder, 'tokenizer.json'));
    await rejectsWith(AttentionEngine.open(folder, { cacheDir: tempDir('cache') }), 'FILE_OUTSIDE_MODEL', /\/dev\/zero/);
    // A device node inside the folder itself is refused for what it is.
    assert.throws(() => readRegularFile('/dev/zero', 1024), /device, not a regular file/);
  });

  it('a tokenizer side file that is a FIFO is refused', async () => {
    const folder = copyModel('bert');
    mkfifo(path.join(folder, 'tokenizer_config.json'));
    await rejectsWith(AttentionEngine.open(folder, { cacheDir: tempDir('cache') }), 'TOKENIZER_INVALID', /named pipe/);
  });

  it('an external-data file that is a FIFO is refused before onnxruntime would block on it', async () => {
    const folder = copyModel('bert-external-data');
    mkfifo(path.join(folder, 'model.onnx_data'));
    await rejectsWith(AttentionEngine.open(folder, { cacheDir: tempDir('cache') }), 'EXTERNAL_DATA_MISSING', /not a regular file/);
  });

  it('a file larger than its limit is refused by size before it is read', () => {
    const file = path.join(tempDir('big'), 'config.json');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, 2048);
    assert.throws(() => readRegularFile(file, 1024), /more than/);
    assert.strictEqual(readRegularFile(file, 4096).length, 2048);
  });
});

describe('huge texts', function () {
  this.timeout(30000);

  it('10 MB of text is cut before tokenizing and gives the tokens of the whole text', async () => {
    const tokenizer = TextTokenizer.load(path.join(bundledModelFolder(), 'tokenizer.json'));
    const inner = (tokenizer as unknown as { tokenizer: { encode: (text: string) => Promise<unknown> } }).tokenizer;
    const encode = inner.encode.bind(inner);
    let longest = 0;
    inner.encode = (text: string) => {
      longest = Math.max(longest, text.length);
      return encode(text);
    };
    const sentence = 'Attention shows where each token looks when the model reads a sentence. ';
    const huge = sentence.repeat(Math.ceil((10 * 1024 * 1024) / sentence.length));
    const cut = await tokenizer.tokenize(huge, 512);
    assert.ok(longest < 1024 * 1024, `the tokenizer was given ${longest} characters`);
    const tokenizeWhole = (tokenizer as unknown as { tokenizeWhole: TextTokenizer['tokenize'] }).tokenizeWhole.bind(tokenizer);
    const whole = await tokenizeWhole(huge.slice(0, 200_000), 512);
    assert.deepStrictEqual(cut.ids, whole.ids);
    assert.deepStrictEqual(cut.coveredRange, whole.coveredRange);
    assert.strictEqual(cut.truncated, true);
  });

  it('a text that fits is tokenized whole, even when it is long in characters', async () => {
    const tokenizer = TextTokenizer.load(path.join(MODELS, 'bert', 'tokenizer.json'));
    const spaced = `start${' '.repeat(100_000)}end`;
    const r = await tokenizer.tokenize(spaced, 512);
    assert.strictEqual(r.truncated, false);
    assert.deepStrictEqual(r.tokens.filter((t) => !t.special).map((t) => t.text), ['start', 'end']);
  });

  it('a generation_config.json that is a FIFO only loses its extra end-of-sequence ids, instead of hanging generation', function () {
    this.timeout(10_000);
    const folder = tempDir('genfifo');
    mkfifo(path.join(folder, 'generation_config.json'));
    assert.deepStrictEqual([...endOfSequenceIds({ eos_token_id: 2 }, folder)], [2]);
  });

  it('a Hub cache ref that is a FIFO is skipped when listing cached models, instead of hanging the picker', function () {
    this.timeout(10_000);
    const cache = tempDir('reffifo');
    const repo = path.join(cache, 'models--org--name');
    fs.mkdirSync(path.join(repo, 'refs'), { recursive: true });
    fs.mkdirSync(path.join(repo, 'snapshots'), { recursive: true });
    mkfifo(path.join(repo, 'refs', 'main'));
    assert.doesNotThrow(() => listCachedModels(cache));
  });
});

