// Maps between pixels in the chart area and heatmap cells (rows = query tokens, columns = key tokens). The
// category axes use `offset: true`, so cell i spans [i, i+1)·size from the area's edge — the same grid the
// bitmap fills. Pure, unit-tested.

export interface Area {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Cell {
  row: number;
  col: number;
}

/** The cell under (x, y), or null outside the area or when the grid is empty. */
export function cellAt(x: number, y: number, area: Area, rows: number, cols: number): Cell | null {
  if (rows <= 0 || cols <= 0 || area.width <= 0 || area.height <= 0) return null;
  const fx = (x - area.left) / area.width;
  const fy = (y - area.top) / area.height;
  if (!(fx >= 0 && fx < 1 && fy >= 0 && fy < 1)) return null;
  return { row: Math.min(rows - 1, Math.floor(fy * rows)), col: Math.min(cols - 1, Math.floor(fx * cols)) };
}

/** The pixel rectangle of a cell. */
export function cellRect(cell: Cell, area: Area, rows: number, cols: number): Area {
  const w = area.width / cols;
  const h = area.height / rows;
  return { left: area.left + cell.col * w, top: area.top + cell.row * h, width: w, height: h };
}

/** The focused cell after a navigation key (arrows, Home/End, PageUp/PageDown); undefined for other keys. */
export function moveCell(cell: Cell, key: string, rows: number, cols: number, page = 10): Cell | undefined {
  const clamp = (v: number, n: number) => Math.max(0, Math.min(n - 1, v));
  switch (key) {
    case 'ArrowUp':
      return { row: clamp(cell.row - 1, rows), col: cell.col };
    case 'ArrowDown':
      return { row: clamp(cell.row + 1, rows), col: cell.col };
    case 'ArrowLeft':
      return { row: cell.row, col: clamp(cell.col - 1, cols) };
    case 'ArrowRight':
      return { row: cell.row, col: clamp(cell.col + 1, cols) };
    case 'PageUp':
      return { row: clamp(cell.row - page, rows), col: cell.col };
    case 'PageDown':
      return { row: clamp(cell.row + page, rows), col: cell.col };
    case 'Home':
      return { row: cell.row, col: 0 };
    case 'End':
      return { row: cell.row, col: cols - 1 };
    default:
      return undefined;
  }
}
