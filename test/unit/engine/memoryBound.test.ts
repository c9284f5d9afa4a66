// No token limit can make one analysis hold more attention than the memory bound: layers·heads·N²·4 bytes.
import * as assert from 'assert';
import * as path from 'path';
import { AttentionEngine, ATTENTION_MEMORY_BUDGET, tokenLimitForMemory } from '../../../src/engine/analyze';
import { MODELS, tempDir } from './helpers';

describe('attention memory bound', function () {
  this.timeout(60000);

  it('derives the token limit from the graph: 512 tokens for 32 layers × 32 heads in 1 GB, more for smaller models', () => {
    assert.strictEqual(ATTENTION_MEMORY_BUDGET, 1024 ** 3);
    assert.strictEqual(tokenLimitForMemory(32, 32), 512);
    assert.strictEqual(tokenLimitForMemory(12, 12), 1365);
    for (const [layers, heads] of [[12, 12], [32, 32], [80, 64]]) {
      const n = tokenLimitForMemory(layers, heads);
      assert.ok(layers * heads * n * n * 4 <= ATTENTION_MEMORY_BUDGET);
      assert.ok(layers * heads * (n + 1) * (n + 1) * 4 > ATTENTION_MEMORY_BUDGET);
    }
  });

  it('cuts a long text to what fits in memory and says why, whatever maxTokens asks for', async () => {
    const engine = await AttentionEngine.open(path.join(MODELS, 'bert'), { cacheDir: tempDir('cache') });
    const { layers, heads } = engine.info;
    const budget = layers * heads * 4 * 40 * 40;
    const r = await engine.analyze('word '.repeat(300), { maxTokens: 512, maxAttentionBytes: budget });
    assert.strictEqual(r.tokens.length, 40);
    assert.strictEqual(r.truncated, true);
    assert.ok(r.attention.reduce((sum, a) => sum + a.byteLength, 0) <= budget);
    assert.match(r.memoryLimitNote ?? '', new RegExp(`Cut to 40 tokens to bound memory: the attention of ${layers} layers × ${heads} heads at ${engine.info.maxTokens} tokens would need 1 MB, more than the 1 MB allowed`));
    const short = await engine.analyze('a short text', { maxTokens: 512, maxAttentionBytes: budget });
    assert.strictEqual(short.memoryLimitNote, undefined);
    await engine.dispose();
  });
});
