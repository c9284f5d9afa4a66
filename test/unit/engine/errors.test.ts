// Every way a model folder can be wrong ends in its own AttentionLensError: a code, one line naming the file,
// and a way forward. Damaged copies are made in os.tmpdir(); the fixtures stay intact.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { AttentionEngine } from '../../../src/engine/analyze';
import { AttentionLensError, isAttentionLensError } from '../../../src/engine/errors';
import { BROKEN, copyModel, MODELS, tempDir } from './helpers';

const cacheDir = tempDir('errors-cache');

async function openError(folder: string, opts: { variant?: string } = {}): Promise<AttentionLensError> {
  try {
    const engine = await AttentionEngine.open(folder, { cacheDir, ...opts });
    await engine.dispose();
  } catch (e) {
    assert.ok(isAttentionLensError(e), `not an AttentionLensError: ${(e as Error).stack}`);
    assert.ok(!e.userMessage.includes('\n'), 'one line');
    assert.ok(!/\bat .*\.(ts|js):\d+/.test(e.userMessage), 'no stack trace');
    assert.ok(e.hint.length > 10, 'a way forward');
    return e;
  }
  assert.fail(`${folder} opened without error`);
}

function expect(e: AttentionLensError, code: string, ...mentions: RegExp[]): void {
  assert.strictEqual(e.code, code, e.userMessage);
  for (const m of mentions) assert.match(e.userMessage, m);
}

describe('engine refusals', function () {
  this.timeout(60000);

  it('fused attention operators: says the export fused attention and what to use', async () => {
    expect(await openError(path.join(BROKEN, 'fused-attention')), 'FUSED_ATTENTION', /model\.onnx/, /fused/i, /optimum/);
  });

  it('attention only inside If subgraphs: points to decoder_model.onnx', async () => {
    expect(await openError(path.join(BROKEN, 'merged-decoder')), 'ATTENTION_IN_SUBGRAPH', /decoder_model_merged\.onnx/, /decoder_model\.onnx/);
  });

  it('graph without attention', async () => {
    expect(await openError(path.join(BROKEN, 'no-attention')), 'NO_ATTENTION', /model\.onnx/);
  });

  it('an input the engine cannot fill is named', async () => {
    const e = await openError(path.join(BROKEN, 'unknown-input'));
    expect(e, 'UNKNOWN_INPUT', /model\.onnx/);
    assert.doesNotMatch(e.userMessage, /past/);
  });

  it('Longformer\'s banded attention is refused with the reason', async () => {
    expect(await openError(path.join(BROKEN, 'longformer-global-attention')), 'BANDED_ATTENTION', /global_attention_mask/, /band/);
  });

  it('attention that does not match config.json\'s layers or heads is refused, never reported as more layers', async () => {
    const folder = copyModel('opt');
    const configFile = path.join(folder, 'config.json');
    const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
    fs.writeFileSync(configFile, JSON.stringify({ ...config, num_hidden_layers: 1 }));
    expect(await openError(folder), 'ATTENTION_MISMATCH', /2 self attention Softmax outputs \(2 per layer\)/, /says 1 layers/);
    fs.writeFileSync(configFile, JSON.stringify({ ...config, num_attention_heads: 8 }));
    expect(await openError(folder), 'ATTENTION_MISMATCH', /with 4 heads/, /says 8/);
  });

  it('a position limit that leaves no tokens is refused, never analysed as 0 tokens', async () => {
    const folder = copyModel('bert');
    const config = JSON.parse(fs.readFileSync(path.join(folder, 'config.json'), 'utf8'));
    fs.writeFileSync(path.join(folder, 'config.json'), JSON.stringify({ ...config, model_type: 'roberta', max_position_embeddings: 1, pad_token_id: 1 }));
    expect(await openError(folder), 'CONFIG_INVALID', /max_position_embeddings = 1/, /no|-1/);
  });

  it('a truncated ONNX file is detected before onnxruntime sees it, wherever it is cut', async () => {
    const folder = copyModel('bert');
    const file = path.join(folder, 'onnx', 'model.onnx');
    const bytes = fs.readFileSync(file);
    for (const fraction of [0.5, 0.1, 0.9, 0.999]) {
      fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length * fraction)));
      expect(await openError(folder), 'ONNX_TRUNCATED', /model\.onnx/, /truncated/);
    }
    for (const cut of [1, 2, 7, 100, bytes.length - 1, bytes.length - 5]) {
      fs.writeFileSync(file, bytes.subarray(0, cut));
      const e = await openError(folder);
      assert.ok(['ONNX_TRUNCATED', 'ONNX_INVALID'].includes(e.code), `${cut} bytes: ${e.code}`);
    }
  });

  it('bytes that are not ONNX', async () => {
    const folder = copyModel('bert');
    const file = path.join(folder, 'onnx', 'model.onnx');
    for (const bytes of [Buffer.from('{"this": "is json, not a model"}\n'), Buffer.from('\x89PNG\r\n\x1a\n0000IHDR'), Buffer.alloc(0)]) {
      fs.writeFileSync(file, bytes);
      expect(await openError(folder), 'ONNX_INVALID', /model\.onnx/, /not a valid ONNX/);
    }
  });

  it('missing tokenizer.json', async () => {
    const folder = copyModel('bert');
    fs.rmSync(path.join(folder, 'tokenizer.json'));
    expect(await openError(folder), 'TOKENIZER_MISSING', /tokenizer\.json/);
  });

  it('tokenizer.json that is not valid JSON, or not a tokenizer', async () => {
    const folder = copyModel('bert');
    const file = path.join(folder, 'tokenizer.json');
    for (const content of ['{"version": "1.0", "model": {', '{"version": "1.0", "model": {"type": "Nonsense"}}', '[]']) {
      fs.writeFileSync(file, content);
      expect(await openError(folder), 'TOKENIZER_INVALID', /tokenizer\.json/);
    }
  });

  it('a damaged tokenizer_config.json or special_tokens_map.json', async () => {
    for (const name of ['tokenizer_config.json', 'special_tokens_map.json']) {
      const folder = copyModel('bert');
      fs.writeFileSync(path.join(folder, name), '{"model_max_length": 5');
      expect(await openError(folder), 'TOKENIZER_INVALID', new RegExp(name.replace('.', '\\.')));
    }
  });

  it('a tokenizer whose ids exceed the embedding table (vocab_size in config.json too small)', async () => {
    const folder = copyModel('bert');
    const configFile = path.join(folder, 'config.json');
    const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
    fs.writeFileSync(configFile, JSON.stringify({ ...config, vocab_size: 50 }));
    expect(await openError(folder), 'TOKENIZER_VOCAB_TOO_LARGE', /tokenizer\.json/, /vocab_size/, /50/);
  });

  it('a tokenizer from a bigger vocabulary than the graph\'s embedding table', async () => {
    const folder = copyModel('bert');
    const tokenizerFile = path.join(folder, 'tokenizer.json');
    const tokenizer = JSON.parse(fs.readFileSync(tokenizerFile, 'utf8'));
    const rows = Object.keys(tokenizer.model.vocab).length;
    tokenizer.added_tokens.push({ id: rows + 40, content: '[EXTRA]', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
    fs.writeFileSync(tokenizerFile, JSON.stringify(tokenizer));
    const configFile = path.join(folder, 'config.json');
    const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
    delete config.vocab_size;
    fs.writeFileSync(configFile, JSON.stringify(config));
    const e = await openError(folder);
    expect(e, 'TOKENIZER_VOCAB_TOO_LARGE', /embedding table/);
  });

  it('missing external data file', async () => {
    const folder = copyModel('bert-external-data');
    fs.rmSync(path.join(folder, 'model.onnx_data'));
    expect(await openError(folder), 'EXTERNAL_DATA_MISSING', /model\.onnx_data/);
  });

  it('missing folder, config.json, ONNX graph or variant', async () => {
    expect(await openError(path.join(tempDir('none'), 'does-not-exist')), 'MODEL_FOLDER_MISSING', /does-not-exist/);
    const noConfig = copyModel('bert');
    fs.rmSync(path.join(noConfig, 'config.json'));
    expect(await openError(noConfig), 'CONFIG_MISSING', /config\.json/);
    const badConfig = copyModel('bert');
    fs.writeFileSync(path.join(badConfig, 'config.json'), '{ nope');
    expect(await openError(badConfig), 'CONFIG_INVALID', /config\.json/);
    const noOnnx = copyModel('bert');
    fs.rmSync(path.join(noOnnx, 'onnx'), { recursive: true });
    expect(await openError(noOnnx), 'ONNX_MISSING', /onnx\/model\.onnx/);
    expect(await openError(path.join(MODELS, 'bert'), { variant: 'fp16' }), 'ONNX_MISSING', /model_fp16\.onnx/, /variant/);
  });

  it('bad maxTokens is an argument error, not a crash', async () => {
    await assert.rejects(AttentionEngine.open(path.join(MODELS, 'bert'), { cacheDir, maxTokens: 0 }), (e: unknown) => isAttentionLensError(e) && e.code === 'BAD_ARGUMENT');
  });
});
