import * as assert from 'assert';
import fc from 'fast-check';
import {
  clampWindow,
  findTokens,
  fullWindow,
  labelStrideFor,
  MIN_WINDOW,
  minimapRect,
  pan,
  panByPixels,
  reveal,
  wheelFactor,
  windowFor,
  windowFromMinimap,
  zoomAt,
  zoomKey,
  zoomToLabels,
  type ZoomWindow,
} from '../../../../webview/panel/zoom';

const inside = (w: ZoomWindow) => w.row0 >= 0 && w.col0 >= 0 && w.row0 + w.size <= w.total && w.col0 + w.size <= w.total && w.size >= Math.min(MIN_WINDOW, w.total);

describe('heatmap zoom and pan', () => {
  it('at 512 tokens in a 600 px chart, zooming to labels shows every label of the cell\'s neighbourhood', () => {
    const w = fullWindow(512);
    assert.ok(labelStrideFor(w, 600) > 10, 'unzoomed, only every 10th+ label fits');
    const z = zoomToLabels(w, 300, 40, 600);
    assert.strictEqual(labelStrideFor(z, 600), 1, 'every label fits');
    assert.ok(z.row0 <= 300 && 300 < z.row0 + z.size && z.col0 <= 40 && 40 < z.col0 + z.size);
    assert.ok(inside(z));
  });

  it('wheel zoom keeps the cell under the pointer in place and steps by at least one cell', () => {
    const w = fullWindow(512);
    const z = zoomAt(w, wheelFactor(-100), { row: 256, col: 100 }, { x: 100 / 512, y: 0.5 });
    assert.ok(z.size < 512 && z.size >= 400);
    // The anchor stays at about the same fraction of the window.
    assert.ok(Math.abs((100.5 - z.col0) / z.size - 100.5 / 512) < 0.01);
    const tiny = zoomAt(fullWindow(10), 1.01, { row: 5, col: 5 });
    assert.strictEqual(tiny.size, 9);
    assert.strictEqual(zoomAt(fullWindow(10), 1 / 1.01, { row: 5, col: 5 }).size, 10, 'never past the whole matrix');
    assert.ok(wheelFactor(3, 1) < 1, 'line-mode wheel down zooms out');
  });

  it('drag pans with the content, keys zoom and pan, 0 resets', () => {
    const w: ZoomWindow = { row0: 100, col0: 100, size: 50, total: 512 };
    assert.deepStrictEqual(panByPixels(w, 30, -20, 10), { row0: 102, col0: 97, size: 50, total: 512 });
    assert.strictEqual(zoomKey(w, '+', false, { row: 120, col: 120 })!.size, 40);
    assert.strictEqual(zoomKey(w, '-', false, { row: 120, col: 120 })!.size, 63);
    assert.deepStrictEqual(zoomKey(w, '0', false, { row: 0, col: 0 }), fullWindow(512));
    assert.strictEqual(zoomKey(w, 'ArrowDown', true, { row: 0, col: 0 })!.row0, 105);
    assert.strictEqual(zoomKey(w, 'ArrowDown', false, { row: 0, col: 0 }), undefined, 'plain arrows move the focus, not the window');
  });

  it('the minimap shows where the window is and moves it on click', () => {
    const w: ZoomWindow = { row0: 128, col0: 256, size: 64, total: 512 };
    assert.deepStrictEqual(minimapRect(w), { x: 0.5, y: 0.25, width: 0.125, height: 0.125 });
    assert.deepStrictEqual(windowFromMinimap(w, 0.5, 0.5), { row0: 224, col0: 224, size: 64, total: 512 });
    assert.deepStrictEqual(windowFromMinimap(w, 1, 1), { row0: 448, col0: 448, size: 64, total: 512 });
  });

  it('find token ranks exact matches first and reveal brings a match into view', () => {
    const labels = ['[CLS]', 'def', '␣fib', '##on', 'fibonacci', 'Fib', '[SEP]'];
    assert.deepStrictEqual(findTokens(labels, 'fib'), [2, 5, 4]);
    assert.deepStrictEqual(findTokens(labels, '  '), []);
    const w: ZoomWindow = { row0: 0, col0: 0, size: 4, total: 7 };
    assert.deepStrictEqual(reveal(w, 5, 1), { row0: 2, col0: 0, size: 4, total: 7 });
    assert.deepStrictEqual(reveal(w, 1, 1), w);
  });

  it('a head switch keeps the window; a new matrix size resets it', () => {
    const w: ZoomWindow = { row0: 10, col0: 20, size: 30, total: 512 };
    assert.deepStrictEqual(windowFor(w, 512), w);
    assert.deepStrictEqual(windowFor(w, 40), fullWindow(40));
  });

  it('every operation keeps the window inside the matrix', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }), fc.array(fc.tuple(fc.constantFrom('zoom', 'pan', 'key', 'map'), fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 20 }), (total, ops) => {
        let w = fullWindow(total);
        for (const [op, a, b] of ops) {
          if (op === 'zoom') w = zoomAt(w, Math.exp(a), { row: Math.floor(b * total), col: Math.floor(b * total) }, { x: b, y: b });
          else if (op === 'pan') w = pan(w, Math.round(a * 100), Math.round(-a * 50));
          else if (op === 'key') w = zoomKey(w, a > 0 ? '+' : '-', false, { row: 0, col: total - 1 }) ?? w;
          else w = windowFromMinimap(w, b, 1 - b);
          assert.ok(inside(w), JSON.stringify(w));
        }
        assert.deepStrictEqual(clampWindow(w), w);
      }),
    );
  });
});
