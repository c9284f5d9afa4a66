// Texts that would give a picture that means nothing: whitespace alone is refused with a message, and a text the
// model's vocabulary cannot read (mostly [UNK]) comes with a hint naming a model that reads it.
import * as assert from 'assert';
import { AttentionEngine, ANY_TEXT_MODEL } from '../../../src/engine/analyze';
import { isAttentionLensError } from '../../../src/engine/errors';
import { BUNDLED_MODEL_NAME, bundledModelFolder } from '../../../src/models/bundled';
import { CURATED_MODELS } from '../../../src/models/curatedModels';
import { resolveModelSpec } from '../../../src/models/resolveModel';
import { tempDir } from './helpers';

describe('texts without a meaningful picture', function () {
  this.timeout(60000);
  let engine: AttentionEngine;
  before(async () => {
    engine = await AttentionEngine.open(bundledModelFolder(), { cacheDir: tempDir('cache'), name: BUNDLED_MODEL_NAME });
  });
  after(() => engine?.dispose());

  it('whitespace-only text is a clear message, not a 2×2 matrix of [CLS] and [SEP]', async () => {
    for (const text of [' ', '\n\n\t  ', '\u00a0\u2003']) {
      await assert.rejects(engine.analyze(text), (e: unknown) => {
        assert.ok(isAttentionLensError(e), String(e));
        assert.strictEqual(e.code, 'NOTHING_TO_ANALYSE');
        assert.match(e.message, /only whitespace/);
        assert.match(e.hint, /Select some words/);
        return true;
      });
    }
  });

  it('mostly-[UNK] text (emoji, CJK on the bundled model) gets a hint naming a curated model that reads it', async () => {
    const r = await engine.analyze('日本語のテキストです 😀 🎉');
    assert.match(r.unknownTokensNote ?? '', /of \d+ tokens are \[UNK\]: bundled model's vocabulary/);
    assert.ok(r.unknownTokensNote?.includes(ANY_TEXT_MODEL));
    assert.ok(CURATED_MODELS.some((m) => m.id === ANY_TEXT_MODEL), 'the named model is one the picker offers');
    assert.strictEqual((await engine.analyze('plain English words and some code()')).unknownTokensNote, undefined);
  });

  it('the bundled model has one name for the CLI and the extension', async () => {
    assert.strictEqual(BUNDLED_MODEL_NAME, 'bundled model');
    assert.strictEqual((await resolveModelSpec(undefined)).label, BUNDLED_MODEL_NAME);
  });
});
