import * as assert from 'assert';
import { buildRamp, buildScaledLut, packRgba } from '../../../../webview/common/colorRamp';
import { renderMatrixPixels, visibleMax } from '../../../../webview/common/matrixBitmap';

const lut = buildScaledLut(buildRamp([[0, 0, 0, 1], [255, 255, 255, 1]]), 'linear');
const grey = (v: number) => packRgba(v, v, v, 255);

describe('webview matrix bitmap', () => {
  const n = 3;
  // Row-major [query][key].
  const m = Float32Array.from([0.5, 0.25, 0.25, 0, 1, 0, 0.1, 0.2, 0.7]);
  const all = [0, 1, 2];

  it('colours each cell by its weight over the visible maximum', () => {
    const px = renderMatrixPixels(m, n, all, all, visibleMax(m, n, all, all), lut);
    assert.strictEqual(px.length, 9);
    assert.strictEqual(px[4], grey(255), 'the largest weight is the top colour');
    assert.strictEqual(px[3], grey(0), 'zero is the bottom colour');
    assert.strictEqual(px[0], grey(128), 'half the max is mid-grey');
    const bytes = new Uint8ClampedArray(px.buffer);
    assert.deepStrictEqual(Array.from(bytes.slice(16, 20)), [255, 255, 255, 255]);
  });

  it('drops hidden rows and columns and rescales to what is still visible', () => {
    const rows = [0, 2];
    const cols = [0, 2];
    const max = visibleMax(m, n, rows, cols);
    assert.strictEqual(max, Float32Array.from([0.7])[0]);
    const px = renderMatrixPixels(m, n, rows, cols, max, lut);
    assert.strictEqual(px.length, 4);
    assert.strictEqual(px[3], grey(255), '(2,2) is the visible max');
    assert.strictEqual(px[1], grey(Math.round((0.25 / 0.7) * 255)), '(0,2) keeps its place');
  });

  it('paints an all-zero matrix, NaN and negative weights with the bottom colour', () => {
    const z = Float32Array.from([0, NaN, -1, 0]);
    const px = renderMatrixPixels(z, 2, [0, 1], [0, 1], visibleMax(z, 2, [0, 1], [0, 1]), lut);
    assert.deepStrictEqual(Array.from(px), [grey(0), grey(0), grey(0), grey(0)]);
  });

  it('renders a 512×512 matrix fast enough for a 50 ms repaint budget', () => {
    const big = new Float32Array(512 * 512).map((_, i) => (i % 97) / 97);
    const idx = Array.from({ length: 512 }, (_, i) => i);
    const out = new Uint32Array(512 * 512);
    const t0 = performance.now();
    renderMatrixPixels(big, 512, idx, idx, visibleMax(big, 512, idx, idx), lut, out);
    const ms = performance.now() - t0;
    assert.ok(ms < 200, `took ${ms.toFixed(1)} ms`);
    assert.strictEqual(out[96], grey(255));
  });
});
