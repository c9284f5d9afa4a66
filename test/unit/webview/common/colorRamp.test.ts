import * as assert from 'assert';
import { LUT_LEVELS, applyScale, buildRamp, buildScaledLut, lutIndex, packRgba, parseCssColor } from '../../../../webview/common/colorRamp';

describe('webview colour ramp', () => {
  it('parses the colour syntaxes VS Code themes use', () => {
    assert.deepStrictEqual(parseCssColor('#1e1e1e'), [30, 30, 30, 1]);
    assert.deepStrictEqual(parseCssColor(' #FFF '), [255, 255, 255, 1]);
    assert.deepStrictEqual(parseCssColor('#00000080'), [0, 0, 0, 128 / 255]);
    assert.deepStrictEqual(parseCssColor('rgb(1, 2, 3)'), [1, 2, 3, 1]);
    assert.deepStrictEqual(parseCssColor('rgba(10,20,30,0.5)'), [10, 20, 30, 0.5]);
    assert.deepStrictEqual(parseCssColor('rgb(10 20 30 / 50%)'), [10, 20, 30, 0.5]);
    for (const bad of ['', 'red', '#12', '#12345', 'rgb(1,2)', 'hsl(1,2%,3%)']) assert.strictEqual(parseCssColor(bad), undefined, bad);
  });

  it('runs the ramp from the first stop to the last through the middle one', () => {
    const ramp = buildRamp([[0, 0, 0, 1], [0, 0, 255, 1], [255, 255, 255, 1]]);
    assert.deepStrictEqual(Array.from(ramp.slice(0, 4)), [0, 0, 0, 255]);
    assert.deepStrictEqual(Array.from(ramp.slice(-4)), [255, 255, 255, 255]);
    const mid = 128 * 4;
    assert.ok(ramp[mid + 2] >= 250 && ramp[mid] < 10, 'middle of the ramp is the accent');
  });

  it('maps weights through linear, sqrt and log scales within [0, 1], monotonically', () => {
    for (const scale of ['linear', 'sqrt', 'log'] as const) {
      assert.strictEqual(applyScale(0, scale), 0);
      assert.strictEqual(applyScale(1, scale), 1);
      assert.strictEqual(applyScale(-2, scale), 0);
      assert.strictEqual(applyScale(7, scale), 1);
      let prev = -1;
      for (let t = 0; t <= 1; t += 0.01) {
        const v = applyScale(t, scale);
        assert.ok(v >= prev, `${scale} is monotonic at ${t}`);
        prev = v;
      }
    }
    assert.ok(applyScale(0.01, 'sqrt') > applyScale(0.01, 'linear'), 'sqrt lifts small weights');
    assert.ok(applyScale(0.01, 'log') > applyScale(0.01, 'sqrt'), 'log lifts them more');
  });

  it('packs pixels in the byte order ImageData reads on little-endian machines', () => {
    const px = new Uint32Array([packRgba(1, 2, 3, 4)]);
    assert.deepStrictEqual(Array.from(new Uint8ClampedArray(px.buffer)), [1, 2, 3, 4]);
  });

  it('builds a LUT whose ends are the ramp ends and whose brightness follows the weight', () => {
    const ramp = buildRamp([[0, 0, 0, 1], [255, 255, 255, 1]]);
    const lut = buildScaledLut(ramp, 'linear');
    assert.strictEqual(lut.length, LUT_LEVELS);
    assert.strictEqual(lut[0], packRgba(0, 0, 0, 255));
    assert.strictEqual(lut[LUT_LEVELS - 1], packRgba(255, 255, 255, 255));
    assert.strictEqual(lut[lutIndex(0.5)], packRgba(128, 128, 128, 255));
    const sqrt = buildScaledLut(ramp, 'sqrt');
    assert.strictEqual(sqrt[lutIndex(0.25)], packRgba(128, 128, 128, 255));
  });

  it('clamps LUT indices (NaN and negatives to 0, ≥1 to the top)', () => {
    assert.strictEqual(lutIndex(NaN), 0);
    assert.strictEqual(lutIndex(-1), 0);
    assert.strictEqual(lutIndex(1), LUT_LEVELS - 1);
    assert.strictEqual(lutIndex(3), LUT_LEVELS - 1);
  });
});
