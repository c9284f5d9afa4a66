import * as assert from 'assert';
import { parseMatrixView } from '../../../shared/parseMessage';
import { viewFitsModel, viewKey, type MatrixView } from '../../../shared/matrixView';

describe('matrixView', () => {
  it('gives every distinct view a distinct cache key', () => {
    const views: MatrixView[] = [
      { layer: 1, head: 2 },
      { layer: 12, head: 0 },
      { layer: 1, aggregate: 'mean' },
      { layer: 1, aggregate: 'max' },
      { aggregate: 'rollout' },
      { aggregate: 'rollout', layer: 1 },
    ];
    assert.strictEqual(new Set(views.map(viewKey)).size, views.length);
  });

  it('checks views against the model shape', () => {
    const model = { layers: 2, heads: 4 };
    assert.ok(viewFitsModel({ layer: 1, head: 3 }, model));
    assert.ok(!viewFitsModel({ layer: 2, head: 0 }, model));
    assert.ok(!viewFitsModel({ layer: 0, head: 4 }, model));
    assert.ok(viewFitsModel({ aggregate: 'rollout' }, model));
    assert.ok(!viewFitsModel({ aggregate: 'rollout', layer: 5 }, model));
  });

  it('parses a rollout view without a layer as "all layers"', () => {
    assert.deepStrictEqual(parseMatrixView({ aggregate: 'rollout' }), { aggregate: 'rollout' });
  });
});
