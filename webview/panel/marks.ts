// Hover, pin and keyboard-focus marks on the heatmap and the strip, and telling the host which query to tint.
import { viewKey } from '../../shared/matrixView';
import { formatWeight, tokenLabel } from '../common/tokenLabels';
import type { Cell } from './cellGeometry';
import { colUnits, rowUnits, saveState, windowColRange, type Panel } from './state';
import { tintStrips } from './stripTints';

export function syncOverlaySize(panel: Panel): void {
  panel.overlay.resize(panel.dom.chartCanvas.clientWidth, panel.dom.chartCanvas.clientHeight);
}

/** Redraws hover/pin/focus marks (in zoom-window coordinates) and the strip tint for the active query. */
export function refreshMarks(panel: Panel): void {
  const { state, dom } = panel;
  const { init, matrix, rows, hovered, pinned, zoom } = state;
  // Positions inside the zoom window, or -1 when outside it.
  const rowOf = (q: number | null) => {
    const at = q === null ? -1 : rows.indexOf(q) - zoom.row0;
    return at >= 0 && at < zoom.size ? at : -1;
  };
  const activeRow = rowOf(hovered);
  const pinnedRow = rowOf(pinned);
  const [c0, c1] = windowColRange(state);
  const focus = { row: state.focusCell.row - zoom.row0, col: state.focusCell.col - c0 };
  const focusInside = focus.row >= 0 && focus.row < zoom.size && focus.col >= 0 && focus.col < c1 - c0;
  panel.overlay.draw(
    panel.heatmap.area,
    Math.min(zoom.size, rows.length - zoom.row0),
    c1 - c0,
    {
      activeRow: activeRow >= 0 ? activeRow : null,
      pinnedRow: pinnedRow >= 0 ? pinnedRow : null,
      focusCell: document.activeElement === dom.heatmap && focusInside ? focus : null,
    },
    state.palette.outline,
  );
  dom.focusValue.textContent = document.activeElement === dom.heatmap && init && (matrix || state.longCell) ? cellText(panel, state.focusCell) : '';
  tintStrips(panel);
}

/** The unit (token, word, identifier, line) that holds token `token` of the analysis. */
export function unitOfToken(panel: Panel, token: number): number | null {
  const { init, units, reading } = panel.state;
  if (!init || token >= init.tokens.length) return null;
  if (reading.granularity === 'tokens') return token;
  const t = init.tokens[token];
  const at = units.findIndex((u) => !u.special && u.start <= t.start && t.start < Math.max(u.end, u.start + 1));
  return at >= 0 ? at : null;
}

/** Sets the hovered query from the webview side and tells the host (once per change). */
export function setHovered(panel: Panel, query: number | null): void {
  const { state } = panel;
  if (query === state.hovered) return;
  state.hovered = query;
  // Tell the host first: the editor tint is the slower half of the round trip, so it should not wait for our repaint.
  // When the pointer leaves, the pinned token is what the editor shows again.
  const q = state.hovered ?? state.pinned;
  const key = `${q}|${viewKey(state.view)}`;
  if (key !== state.lastHoverSent) {
    state.lastHoverSent = key;
    panel.api.postMessage({ type: 'hoverQuery', query: q, view: state.view, reading: state.reading });
  }
  refreshMarks(panel);
}

export function setPinned(panel: Panel, query: number | null): void {
  const { state } = panel;
  state.pinned = query;
  saveState(panel);
  refreshMarks(panel);
  panel.api.postMessage({ type: 'pinQuery', query, view: state.view, reading: state.reading });
  const units = rowUnits(state);
  announce(panel, query === null || !units[query] ? 'Unpinned' : `Pinned ${tokenLabel(units[query].text)}`);
}

/** Pins `query`, or unpins it when it is the pinned one. */
export function togglePin(panel: Panel, query: number): void {
  setPinned(panel, panel.state.pinned === query ? null : query);
}

export function announce(panel: Panel, text: string): void {
  panel.dom.liveRegion.textContent = text;
}

/** "query → key: weight" for the tooltip, the visible focus line and the screen reader; `cell` in `rows` positions. */
export function cellText(panel: Panel, cell: Cell): string {
  const { init, matrix, rows, cols, longCell } = panel.state;
  if (!init || !(matrix || longCell)) return '';
  const q = rows[cell.row];
  const k = cols[cell.col];
  if (q === undefined || k === undefined) return '';
  const queryUnits = rowUnits(panel.state);
  const keyUnits = colUnits(panel.state);
  // A long analysis reads exact weights only from the tile of a zoomed-in window.
  const value = matrix ? matrix[q * keyUnits.length + k] : longCell?.(q, k);
  return `${tokenLabel(queryUnits[q].text)} → ${tokenLabel(keyUnits[k].text)}: ${value === undefined ? 'pooled here; zoom in for exact weights' : formatWeight(value)}`;
}
