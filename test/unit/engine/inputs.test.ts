// The feeds the engine builds from a graph's declared inputs: an empty key/value cache in every layout the Hub's
// exporters write, neutral extras, and float16 conversion for fp16 decoders.
import * as assert from 'assert';
import { buildFeeds, cacheShapeFromConfig, emptyPastDims, GraphInput, toFloat16 } from '../../../src/engine/inputs';

const past = (name: string, type: 'float32' | 'float16', dims: (number | string | undefined)[]): GraphInput => ({ name, role: 'past', type, dims });

describe('engine inputs', () => {
  it('an empty cache keeps the declared kv heads and head size and sets the past length to 0', () => {
    const llama = cacheShapeFromConfig({ num_attention_heads: 9, num_key_value_heads: 3, hidden_size: 576 });
    assert.deepStrictEqual(emptyPastDims(past('past_key_values.0.key', 'float32', ['batch_size', 3, 'past_sequence_length', 64]), llama, 'm.onnx'), [1, 3, 0, 64]);
    // Symbolic sizes come from config.json: kv heads and hidden / heads.
    assert.deepStrictEqual(emptyPastDims(past('past_key_values.0.value', 'float32', ['batch_size', 'num_kv', 'past_sequence_length', 'head']), llama, 'm.onnx'), [1, 3, 0, 64]);
    // GPT-BigCode multi-query: [batch, past, 2·head_dim].
    assert.deepStrictEqual(emptyPastDims(past('past_key_values.0.key_value', 'float32', ['batch_size', 'past_sequence_length', 16]), {}, 'm.onnx'), [1, 0, 16]);
    // BLOOM folds heads into the batch axis: [batch·heads, head_dim, past].
    const bloom = cacheShapeFromConfig({ n_head: 4, hidden_size: 32 });
    assert.deepStrictEqual(emptyPastDims(past('past_key_values.0.key', 'float32', ['batch_size x num_heads', 8, 'past_sequence_length']), bloom, 'm.onnx'), [4, 8, 0]);
  });

  it('a cache size nobody states is refused by name', () => {
    assert.throws(() => emptyPastDims(past('past_key_values.0.key', 'float32', ['batch', 'mystery', 'past_sequence_length']), {}, 'm.onnx'), /past_key_values\.0\.key.*mystery/);
  });

  it('feeds ids, all-ones masks, positions, zero token types and boxes, false for use_cache_branch, and fp16 caches as half bits', () => {
    const inputs: GraphInput[] = [
      { name: 'input_ids', role: 'input_ids', type: 'int64' },
      { name: 'attention_mask', role: 'attention_mask', type: 'int32' },
      { name: 'position_ids', role: 'position_ids', type: 'int64' },
      { name: 'bbox', role: 'bbox', type: 'int64' },
      { name: 'use_cache_branch', role: 'use_cache_branch', type: 'bool' },
      past('past_key_values.0.key', 'float16', ['batch_size', 2, 'past_sequence_length', 8]),
    ];
    const feeds = buildFeeds(inputs, { ids: [5, 6, 7] }, 'm.onnx');
    assert.deepStrictEqual(Array.from(feeds[0].data as BigInt64Array, Number), [5, 6, 7]);
    assert.deepStrictEqual([...(feeds[1].data as Int32Array)], [1, 1, 1]);
    assert.deepStrictEqual(Array.from(feeds[2].data as BigInt64Array, Number), [0, 1, 2]);
    assert.deepStrictEqual([feeds[3].dims, (feeds[3].data as BigInt64Array).every((v) => v === 0n)], [[1, 3, 4], true]);
    assert.deepStrictEqual([feeds[4].type, [...(feeds[4].data as Uint8Array)]], ['bool', [0]]);
    assert.deepStrictEqual([feeds[5].type, feeds[5].dims, feeds[5].data instanceof Uint16Array, feeds[5].data.length], ['float16', [1, 2, 0, 8], true, 0]);
  });

  it('converts float32 to IEEE half bits, rounding to nearest even', () => {
    const half = toFloat16(Float32Array.from([0, 1, -2, 0.5, 65504, 1e6, 6.1035156e-5, 5.9604645e-8, 1 + 2 ** -11, 1 + 3 * 2 ** -11]));
    assert.deepStrictEqual([...half], [0x0000, 0x3c00, 0xc000, 0x3800, 0x7bff, 0x7c00, 0x0400, 0x0001, 0x3c00, 0x3c02]);
  });
});
