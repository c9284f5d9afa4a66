// Hover, pin and keyboard-focus marks on the heatmap and the strip, and telling the host which query to tint.
import { viewKey } from '../../shared/matrixView';
import { formatWeight, tokenLabel } from '../common/tokenLabels';
import type { Cell } from './cellGeometry';
import { saveState, type Panel } from './state';

export function syncOverlaySize(panel: Panel): void {
  panel.overlay.resize(panel.dom.chartCanvas.clientWidth, panel.dom.chartCanvas.clientHeight);
}

/** Redraws hover/pin/focus marks and the strip tint for the active query. */
export function refreshMarks(panel: Panel): void {
  const { state, dom } = panel;
  const { init, matrix, rows, hovered, pinned } = state;
  const active = hovered ?? pinned;
  const rowOf = (q: number | null) => (q === null ? -1 : rows.indexOf(q));
  const activeRow = rowOf(hovered);
  const pinnedRow = rowOf(pinned);
  panel.overlay.draw(
    panel.heatmap.area,
    rows.length,
    rows.length,
    {
      activeRow: activeRow >= 0 ? activeRow : null,
      pinnedRow: pinnedRow >= 0 ? pinnedRow : null,
      focusCell: document.activeElement === dom.heatmap ? state.focusCell : null,
    },
    state.palette.outline,
  );
  const weights = init && matrix && active !== null ? matrix.subarray(active * init.n, (active + 1) * init.n) : null;
  dom.strip.tint(weights, rows, state.palette.accent, hovered, pinned);
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
    panel.api.postMessage({ type: 'hoverQuery', query: q, view: state.view });
  }
  refreshMarks(panel);
}

export function setPinned(panel: Panel, query: number | null): void {
  const { state } = panel;
  state.pinned = query;
  saveState(panel);
  refreshMarks(panel);
  panel.api.postMessage({ type: 'pinQuery', query, view: state.view });
  announce(panel, query === null || !state.init ? 'Unpinned' : `Pinned ${tokenLabel(state.init.tokens[query].text)}`);
}

/** Pins `query`, or unpins it when it is the pinned one. */
export function togglePin(panel: Panel, query: number): void {
  setPinned(panel, panel.state.pinned === query ? null : query);
}

export function announce(panel: Panel, text: string): void {
  panel.dom.liveRegion.textContent = text;
}

/** "query → key: weight" for the tooltip and the screen reader. */
export function cellText(panel: Panel, cell: Cell): string {
  const { init, matrix, rows } = panel.state;
  if (!init || !matrix) return '';
  const q = rows[cell.row];
  const k = rows[cell.col];
  return `${tokenLabel(init.tokens[q].text)} → ${tokenLabel(init.tokens[k].text)}: ${formatWeight(matrix[q * init.n + k])}`;
}
