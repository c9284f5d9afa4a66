import * as assert from 'assert';
import fc from 'fast-check';
import { cellAt, cellRect, moveCell } from '../../../../webview/panel/cellGeometry';

const area = { left: 40, top: 20, width: 400, height: 200 };

describe('webview cell geometry', () => {
  it('finds the cell under the pointer, rows top-down and columns left-right', () => {
    assert.deepStrictEqual(cellAt(40, 20, area, 10, 4), { row: 0, col: 0 });
    assert.deepStrictEqual(cellAt(439.9, 219.9, area, 10, 4), { row: 9, col: 3 });
    assert.deepStrictEqual(cellAt(141, 41, area, 10, 4), { row: 1, col: 1 });
  });

  it('returns null outside the chart area or for an empty grid', () => {
    assert.strictEqual(cellAt(39, 50, area, 10, 4), null);
    assert.strictEqual(cellAt(440, 50, area, 10, 4), null);
    assert.strictEqual(cellAt(100, 220, area, 10, 4), null);
    assert.strictEqual(cellAt(100, 50, area, 0, 4), null);
  });

  it('hit-tests the centre of every cell rect back to that cell', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 600 }), fc.nat(), fc.nat(), (rows, cols, r, c) => {
        const cell = { row: r % rows, col: c % cols };
        const rect = cellRect(cell, area, rows, cols);
        assert.deepStrictEqual(cellAt(rect.left + rect.width / 2, rect.top + rect.height / 2, area, rows, cols), cell);
      }),
    );
  });

  it('moves the keyboard focus and stops at the edges', () => {
    const c = { row: 0, col: 0 };
    assert.deepStrictEqual(moveCell(c, 'ArrowUp', 5, 5), c);
    assert.deepStrictEqual(moveCell(c, 'ArrowDown', 5, 5), { row: 1, col: 0 });
    assert.deepStrictEqual(moveCell(c, 'ArrowRight', 5, 5), { row: 0, col: 1 });
    assert.deepStrictEqual(moveCell({ row: 4, col: 4 }, 'ArrowRight', 5, 5), { row: 4, col: 4 });
    assert.deepStrictEqual(moveCell(c, 'End', 5, 7), { row: 0, col: 6 });
    assert.deepStrictEqual(moveCell({ row: 2, col: 3 }, 'PageDown', 5, 5), { row: 4, col: 3 });
    assert.strictEqual(moveCell(c, 'a', 5, 5), undefined);
  });
});
