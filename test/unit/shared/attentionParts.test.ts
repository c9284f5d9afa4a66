import * as assert from 'assert';
import { crossViewFor, editorViewFor, keySide, querySide, sourceViewFor } from '../../../shared/attentionParts';
import { describeView, viewFitsModel, viewKey } from '../../../shared/matrixView';
import { parseFromWebview, parseMatrixView } from '../../../shared/parseMessage';

const shape = { layers: 6, heads: 8, decoder: { layers: 3, heads: 4, crossHeads: 4 } };

describe('attention parts (encoder, decoder, cross-attention)', () => {
  it('parses a part and refuses an unknown one', () => {
    assert.deepStrictEqual(parseMatrixView({ layer: 1, head: 2, part: 'cross' }), { layer: 1, head: 2, part: 'cross' });
    assert.deepStrictEqual(parseMatrixView({ layer: 0, aggregate: 'mean', part: 'decoder' }), { layer: 0, aggregate: 'mean', part: 'decoder' });
    assert.strictEqual(parseMatrixView({ layer: 1, head: 2, part: 'encoder' }), undefined);
    assert.strictEqual(parseMatrixView({ layer: 1, head: 2, part: 7 }), undefined);
    const reading = { granularity: 'tokens', direction: 'attendsTo' } as const;
    assert.deepStrictEqual(parseFromWebview({ type: 'hoverQuery', query: 3, view: { layer: 0, head: 1, part: 'cross' }, reading }), {
      type: 'hoverQuery',
      query: 3,
      view: { layer: 0, head: 1, part: 'cross' },
      reading,
    });
  });

  it('checks parts against the decoder shape, and has no cross-attention rollout', () => {
    assert.ok(viewFitsModel({ layer: 2, head: 3, part: 'cross' }, shape));
    assert.ok(!viewFitsModel({ layer: 3, head: 0, part: 'cross' }, shape), 'the decoder has 3 layers');
    assert.ok(!viewFitsModel({ layer: 0, head: 4, part: 'decoder' }, shape), 'the decoder has 4 heads');
    assert.ok(viewFitsModel({ layer: 5, head: 7 }, shape), 'the encoder keeps its own shape');
    assert.ok(viewFitsModel({ aggregate: 'rollout', part: 'decoder' }, shape));
    assert.ok(!viewFitsModel({ aggregate: 'rollout', part: 'cross' }, shape));
    assert.ok(!viewFitsModel({ layer: 0, head: 0, part: 'cross' }, { layers: 6, heads: 8 }), 'no decoder, no parts');
  });

  it('gives parts their own keys and labels', () => {
    const keys = [{ layer: 1, head: 2 }, { layer: 1, head: 2, part: 'decoder' as const }, { layer: 1, head: 2, part: 'cross' as const }].map(viewKey);
    assert.strictEqual(new Set(keys).size, 3);
    assert.strictEqual(describeView({ layer: 1, head: 2, part: 'cross' }), 'Cross-attention · Layer 2 · Head 3');
    assert.strictEqual(describeView({ layer: 0, aggregate: 'mean', part: 'decoder' }), 'Decoder · Layer 1 · mean of heads');
  });

  it('links the two texts: rows and columns by part, the cross view of any view, the source view for the editor', () => {
    assert.deepStrictEqual([querySide({ layer: 0, head: 0 }), keySide({ layer: 0, head: 0 })], ['source', 'source']);
    assert.deepStrictEqual([querySide({ layer: 0, head: 0, part: 'cross' }), keySide({ layer: 0, head: 0, part: 'cross' })], ['target', 'source']);
    assert.deepStrictEqual([querySide({ layer: 0, head: 0, part: 'decoder' }), keySide({ layer: 0, head: 0, part: 'decoder' })], ['target', 'target']);
    assert.deepStrictEqual(crossViewFor({ layer: 5, head: 2 }, shape), { layer: 2, head: 2, part: 'cross' }, 'clamped to the last decoder layer');
    assert.deepStrictEqual(crossViewFor({ layer: 1, head: 6 }, shape), { layer: 1, aggregate: 'mean', part: 'cross' }, 'a head the decoder lacks: mean');
    assert.deepStrictEqual(crossViewFor({ aggregate: 'rollout' }, shape), { layer: 2, aggregate: 'mean', part: 'cross' });
    assert.strictEqual(crossViewFor({ layer: 0, head: 0 }, { layers: 1, heads: 1 }), undefined);
    assert.deepStrictEqual(sourceViewFor({ layer: 2, head: 3, part: 'cross' }, shape), { layer: 2, head: 3 });
    assert.deepStrictEqual(editorViewFor({ layer: 1, head: 1, part: 'decoder' }, shape), { layer: 1, head: 1, part: 'cross' });
    assert.deepStrictEqual(editorViewFor({ layer: 1, head: 1 }, shape), { layer: 1, head: 1 });
  });
});
