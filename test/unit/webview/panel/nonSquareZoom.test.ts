import * as assert from 'assert';
import { columnInWindowUnits, fullWindow, windowColumns, zoomAt } from '../../../../webview/panel/zoom';

// Cross-attention is target rows × source columns: the zoom window counts in rows and covers the same fraction of
// the columns.
describe('zoom on a non-square matrix (cross-attention)', () => {
  it('unzoomed shows every column', () => {
    assert.deepStrictEqual(windowColumns(fullWindow(4), 4, 10), [0, 10]);
  });

  it('zoomed into the second half of the rows shows the second half of the columns', () => {
    assert.deepStrictEqual(windowColumns({ row0: 4, col0: 4, size: 4, total: 8 }, 8, 20), [10, 20]);
  });

  it('a wheel step around a cell keeps a window inside both axes that holds the cell', () => {
    const w = zoomAt(fullWindow(6), 2, { row: 1, col: columnInWindowUnits(25, 6, 30) }, { x: 0.8, y: 0.2 });
    const [c0, c1] = windowColumns(w, 6, 30);
    assert.ok(c0 >= 0 && c1 <= 30 && c1 > c0, `columns ${c0}–${c1}`);
    assert.ok(c0 <= 25 && 25 < c1, `column 25 is inside ${c0}–${c1}`);
    assert.ok(w.row0 <= 1 && 1 < w.row0 + w.size);
  });

  it('square matrices keep the window as it is', () => {
    assert.deepStrictEqual(windowColumns({ row0: 2, col0: 5, size: 4, total: 10 }, 10, 10), [5, 9]);
    assert.strictEqual(columnInWindowUnits(7, 10, 10), 7);
  });
});
