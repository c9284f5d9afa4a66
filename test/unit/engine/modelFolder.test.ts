// Which files a model folder resolves to, and the limits read from config.json.
import * as assert from 'assert';
import * as path from 'path';
import { maxTokensFromConfig, validateModelFolder } from '../../../src/engine/modelFolder';
import { BROKEN, MODELS } from './helpers';

describe('model folder', () => {
  it('finds onnx/model.onnx, model.onnx at the root, or the decoder graph', async () => {
    assert.strictEqual((await validateModelFolder(path.join(MODELS, 'bert'))).onnxFile, path.join(MODELS, 'bert', 'onnx', 'model.onnx'));
    assert.strictEqual((await validateModelFolder(path.join(MODELS, 'bert-external-data'))).onnxFile, path.join(MODELS, 'bert-external-data', 'model.onnx'));
    assert.strictEqual((await validateModelFolder(path.join(MODELS, 'gpt2'))).onnxFile, path.join(MODELS, 'gpt2', 'onnx', 'decoder_model.onnx'));
    assert.strictEqual((await validateModelFolder(path.join(BROKEN, 'merged-decoder'))).onnxFile, path.join(BROKEN, 'merged-decoder', 'onnx', 'decoder_model_merged.onnx'));
  });

  it('picks a variant by name or by file name', async () => {
    const quantized = path.join(MODELS, 'bert', 'onnx', 'model_quantized.onnx');
    assert.strictEqual((await validateModelFolder(path.join(MODELS, 'bert'), { variant: 'quantized' })).onnxFile, quantized);
    assert.strictEqual((await validateModelFolder(path.join(MODELS, 'bert'), { variant: 'model_quantized.onnx' })).onnxFile, quantized);
  });

  it('reads the token limit: positions, minus padding_idx + 1 for RoBERTa-style models', () => {
    assert.strictEqual(maxTokensFromConfig({ model_type: 'bert', max_position_embeddings: 512 }), 512);
    assert.strictEqual(maxTokensFromConfig({ model_type: 'gpt2', n_positions: 1024 }), 1024);
    assert.strictEqual(maxTokensFromConfig({ model_type: 'roberta', max_position_embeddings: 514, pad_token_id: 1 }), 512);
    assert.strictEqual(maxTokensFromConfig({ model_type: 'xlm-roberta', max_position_embeddings: 514 }), 512);
    assert.strictEqual(maxTokensFromConfig({ model_type: 'mystery' }), 512);
  });
});
