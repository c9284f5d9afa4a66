// Zoom and pan of the heatmap as a square window over the visible tokens: which rows and columns are drawn, how
// wheel, drag and keys move it, where the minimap's rectangle goes, and how "find token" jumps. Pure (no DOM), so the
// chart just draws rows.slice(row0, row0 + size) × cols.slice(col0, col0 + size); a head switch keeps the window.

export interface ZoomWindow {
  /** First visible row and column (indices into the visible-token list). */
  row0: number;
  col0: number;
  /** Rows and columns shown (the window is square: cells stay square). */
  size: number;
  /** Visible tokens in all (the matrix side). */
  total: number;
}

/** Fewest rows/columns a window shows: below this zooming stops. */
export const MIN_WINDOW = 4;
/** One wheel notch or one key press zooms by this factor. */
export const ZOOM_STEP = 1.25;
/** Pixels Chart.js needs per axis label before it skips some (11 px font, 1.2 line height, padding; rotated labels need more). */
export const LABEL_PITCH = 20;

export function fullWindow(total: number): ZoomWindow {
  return { row0: 0, col0: 0, size: total, total };
}

export function isZoomed(w: ZoomWindow): boolean {
  return w.size < w.total;
}

/** Keeps the window inside the matrix with a size between MIN_WINDOW (or the total) and the total. */
export function clampWindow(w: ZoomWindow): ZoomWindow {
  const total = Math.max(0, w.total);
  const size = Math.max(Math.min(MIN_WINDOW, total), Math.min(total, Math.round(w.size)));
  const clamp = (v: number) => Math.max(0, Math.min(total - size, Math.round(v)));
  return { row0: clamp(w.row0), col0: clamp(w.col0), size, total };
}

/** The same window for a matrix of another size (a new analysis or hideSpecial toggled): reset when it changed. */
export function windowFor(w: ZoomWindow | undefined, total: number): ZoomWindow {
  return w && w.total === total ? clampWindow(w) : fullWindow(total);
}

/**
 * Zooms by `factor` (> 1 in, < 1 out) keeping the cell under the pointer (anchor row/col, window-relative fractions
 * fy/fx of the way across) where it is. Always changes the size by at least one cell when it can.
 */
export function zoomAt(w: ZoomWindow, factor: number, anchor: { row: number; col: number }, fraction = { x: 0.5, y: 0.5 }): ZoomWindow {
  let size = Math.round(w.size / factor);
  if (factor > 1 && size >= w.size) size = w.size - 1;
  if (factor < 1 && size <= w.size) size = w.size + 1;
  size = Math.max(Math.min(MIN_WINDOW, w.total), Math.min(w.total, size));
  return clampWindow({ total: w.total, size, row0: anchor.row + 0.5 - fraction.y * size, col0: anchor.col + 0.5 - fraction.x * size });
}

/** Moves the window by whole cells. */
export function pan(w: ZoomWindow, rows: number, cols: number): ZoomWindow {
  return clampWindow({ ...w, row0: w.row0 + rows, col0: w.col0 + cols });
}

/** A drag of (dx, dy) CSS pixels over cells of `cellPx`: the content follows the pointer. */
export function panByPixels(start: ZoomWindow, dx: number, dy: number, cellPx: number): ZoomWindow {
  if (!(cellPx > 0)) return start;
  return pan(start, -Math.round(dy / cellPx), -Math.round(dx / cellPx));
}

/** Zoom factor of one wheel event: one notch (≈100 px, or 3 lines) is one ZOOM_STEP; trackpads give fractions. */
export function wheelFactor(deltaY: number, deltaMode = 0): number {
  const px = deltaMode === 1 ? deltaY * 33 : deltaMode === 2 ? deltaY * 800 : deltaY;
  return Math.pow(ZOOM_STEP, -px / 100);
}

/** How many labels fit along `extentPx` without overlapping. */
export function labelCapacity(extentPx: number, pitch = LABEL_PITCH): number {
  return Math.max(1, Math.floor(extentPx / pitch));
}

/** Every `stride`-th label is drawn: 1 when every label fits at this zoom. */
export function labelStrideFor(w: ZoomWindow, extentPx: number, pitch = LABEL_PITCH): number {
  return Math.max(1, Math.ceil(w.size / labelCapacity(extentPx, pitch)));
}

/** Zooms in around a cell until every row and column label fits (or keeps the window when they already do). */
export function zoomToLabels(w: ZoomWindow, row: number, col: number, extentPx: number, pitch = LABEL_PITCH): ZoomWindow {
  const size = Math.min(w.size, labelCapacity(extentPx, pitch));
  return clampWindow({ total: w.total, size, row0: row - Math.floor(size / 2), col0: col - Math.floor(size / 2) });
}

/** The window moved just enough to show (row, col); unchanged when it is already inside. */
export function reveal(w: ZoomWindow, row: number, col: number): ZoomWindow {
  const into = (start: number, i: number) => (i < start ? i : i >= start + w.size ? i - w.size + 1 : start);
  return clampWindow({ ...w, row0: into(w.row0, row), col0: into(w.col0, col) });
}

/** Keyboard: + / = zoom in, - zoom out, 0 shows everything; with Shift, arrows pan by a tenth of the window. */
export function zoomKey(w: ZoomWindow, key: string, shift: boolean, focus: { row: number; col: number }): ZoomWindow | undefined {
  if (key === '+' || key === '=') return zoomAt(w, ZOOM_STEP, focus);
  if (key === '-' || key === '_') return zoomAt(w, 1 / ZOOM_STEP, focus);
  if (key === '0') return fullWindow(w.total);
  if (!shift) return undefined;
  const step = Math.max(1, Math.round(w.size / 10));
  if (key === 'ArrowUp') return pan(w, -step, 0);
  if (key === 'ArrowDown') return pan(w, step, 0);
  if (key === 'ArrowLeft') return pan(w, 0, -step);
  if (key === 'ArrowRight') return pan(w, 0, step);
  return undefined;
}

/** The minimap's rectangle as fractions of the whole matrix. */
export function minimapRect(w: ZoomWindow): { x: number; y: number; width: number; height: number } {
  if (w.total <= 0) return { x: 0, y: 0, width: 1, height: 1 };
  return { x: w.col0 / w.total, y: w.row0 / w.total, width: w.size / w.total, height: w.size / w.total };
}

/** A click or drag on the minimap at fractions (fx, fy) of its side: centre the window there. */
export function windowFromMinimap(w: ZoomWindow, fx: number, fy: number): ZoomWindow {
  return clampWindow({ ...w, row0: fy * w.total - w.size / 2, col0: fx * w.total - w.size / 2 });
}

/** Indices of labels containing `query` (case-insensitive, ignoring the ␣ marker); exact matches first. */
export function findTokens(labels: readonly string[], query: string): number[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const norm = labels.map((l) => l.replace(/^[␣#]+/, '').toLowerCase());
  const exact: number[] = [];
  const partial: number[] = [];
  norm.forEach((l, i) => {
    if (l === q) exact.push(i);
    else if (l.includes(q)) partial.push(i);
  });
  return [...exact, ...partial];
}

/**
 * The window's columns as [start, end) positions among `cols` columns. Square: the window's own. Non-square
 * (cross-attention: target rows × source columns): the same fraction of the columns as `col0` and `size` are of the rows.
 */
export function windowColumns(w: ZoomWindow, rows: number, cols: number): [number, number] {
  if (cols === rows || rows === 0) return [w.col0, Math.min(cols, w.col0 + w.size)];
  const scale = cols / rows;
  const c0 = Math.max(0, Math.min(cols - 1, Math.floor(w.col0 * scale)));
  return [c0, Math.min(cols, Math.max(c0 + 1, Math.ceil((w.col0 + w.size) * scale)))];
}

/** A column position among `cols` in the window's column units (row units when the matrix is not square). */
export function columnInWindowUnits(col: number, rows: number, cols: number): number {
  return cols === rows || cols === 0 ? col : Math.floor((col * rows) / cols);
}
