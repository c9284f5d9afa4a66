// The head finder as the extension will call it: scores come from the inference worker with the run, equal to the
// same pure function on the host, and the repeated-tokens probe runs once per engine, on causal models only.
import * as assert from 'assert';
import * as path from 'path';
import { AttentionEngine } from '../../../src/engine/analyze';
import { findHeads } from '../../../src/engine/headFinder';
import { scoreHeads } from '../../../src/engine/headScores';
import { MODELS, tempDir } from './helpers';

describe('head finder', function () {
  this.timeout(120000);
  const cacheDir = tempDir('head-finder-cache');
  const text = 'def add(a, b):\n    return [a + b, {"n": (a)}]  # add(a, b)';

  it('scores in the worker exactly what the host-side function scores, and only when asked', async () => {
    const engine = await AttentionEngine.open(path.join(MODELS, 'bert'), { cacheDir });
    try {
      const found = await findHeads(engine, text);
      const r = found.result;
      assert.deepStrictEqual(found.heads, scoreHeads({ text: r.text, tokens: r.tokens, attention: r.attention, heads: r.model.heads }));
      assert.strictEqual(found.probe, undefined, 'no probe on an encoder');
      assert.ok(found.heads.some((h) => h.scores.brackets !== null) && found.heads.some((h) => h.scores.identifiers !== null));
      assert.strictEqual((await engine.analyze(text)).headScores, undefined);
    } finally {
      await engine.dispose();
    }
  });

  it('adds the probe on a causal model, the same numbers every time', async () => {
    const engine = await AttentionEngine.open(path.join(MODELS, 'gpt2'), { cacheDir });
    try {
      const first = await findHeads(engine, text);
      assert.deepStrictEqual(first.probe, { length: 32, samples: 8 });
      const probeScores = first.heads.map((h) => [h.scores.induction, h.scores.duplicate]);
      assert.ok(probeScores.flat().every((v) => v !== null && v >= 0 && v <= 1));
      const other = await findHeads(engine, 'x = 1');
      assert.deepStrictEqual(other.heads.map((h) => [h.scores.induction, h.scores.duplicate]), probeScores, 'the probe does not depend on the text');
      const reopened = await AttentionEngine.open(path.join(MODELS, 'gpt2'), { cacheDir });
      try {
        const again = await findHeads(reopened, text);
        assert.deepStrictEqual(again.heads.map((h) => [h.scores.induction, h.scores.duplicate]), probeScores, 'fixed seed');
      } finally {
        await reopened.dispose();
      }
    } finally {
      await engine.dispose();
    }
  });
});
