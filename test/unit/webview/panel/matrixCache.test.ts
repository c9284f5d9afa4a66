import * as assert from 'assert';
import { MatrixCache } from '../../../../webview/panel/matrixCache';

describe('webview matrix cache', () => {
  it('evicts the least recently used matrices beyond its byte budget', () => {
    const c = new MatrixCache(3 * 400);
    const m = () => new Float32Array(100);
    c.set('a', m());
    c.set('b', m());
    c.set('c', m());
    c.get('a');
    c.set('d', m());
    assert.ok(c.get('a') && c.get('c') && c.get('d'));
    assert.strictEqual(c.get('b'), undefined);
    assert.strictEqual(c.size, 3);
  });

  it('keeps a single matrix larger than the budget (the one on screen)', () => {
    const c = new MatrixCache(10);
    c.set('big', new Float32Array(100));
    assert.ok(c.get('big'));
  });
});
