import * as assert from 'assert';
import { PaintTimings } from '../../../src/editor/paintTimings';

describe('paint timing summary', () => {
  it('reports median, p95 and max once per 50 paints', () => {
    const t = new PaintTimings();
    for (let i = 1; i < 50; i++) assert.strictEqual(t.record(i / 10, 512), undefined);
    assert.strictEqual(t.record(5, 512), 'editor tint paints (last 50, N=512): median 2.60 ms, p95 4.80 ms, max 5.00 ms');
    assert.strictEqual(t.record(1, 512), undefined);
  });
});
