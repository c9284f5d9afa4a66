import * as assert from 'assert';
import { packRgba } from '../../../../webview/common/colorRamp';
import { differencePixels, maxAbsDifference } from '../../../../webview/common/differencePixels';

describe('difference heatmap pixels', () => {
  const bg: [number, number, number, number] = [0, 0, 0, 1];
  it('shows more attention red, less blue, no change as the background and no counterpart as grey', () => {
    const before = Float32Array.from([0.5, 0.5, NaN, 0.2]);
    const after = Float32Array.from([0.9, 0.5, 0.3, 0.0]);
    const rows = [0, 1];
    assert.ok(Math.abs(maxAbsDifference(after, before, 2, rows) - 0.4) < 1e-6);
    const px = differencePixels(after, before, 2, rows, 0.4, bg);
    assert.strictEqual(px[0], packRgba(240, 70, 60, 255), 'the largest increase is full red');
    assert.strictEqual(px[1], packRgba(0, 0, 0, 255), 'unchanged');
    assert.strictEqual(px[2], packRgba(128, 128, 128, 64), 'no earlier counterpart');
    assert.strictEqual(px[3], packRgba(28, 64, 128, 255), 'a decrease of half the maximum is half blue');
  });
});
