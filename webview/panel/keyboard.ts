// Keyboard on the focused heatmap: arrows move a focus cell (its value shown on screen and announced), Enter/Space
// pin its row, Escape unpins; + and - zoom around it, 0 shows everything, Shift+arrows pan. The token strip is
// reachable with Tab too: Left/Right move along the tokens, Enter pins.
import { moveCell } from './cellGeometry';
import { setZoom } from './matrixDisplay';
import { announce, cellText, refreshMarks, setHovered, setPinned, togglePin } from './marks';
import { colInZoomUnits, type Panel } from './state';
import { hoverStripToken } from './stripTints';
import { visibleIndices } from '../common/tokenLabels';
import { querySide } from '../../shared/attentionParts';
import { reveal, zoomKey } from './zoom';

export function wireKeyboard(panel: Panel): void {
  const { dom, state } = panel;
  dom.heatmap.addEventListener('focus', () => refreshMarks(panel));
  dom.heatmap.addEventListener('blur', () => refreshMarks(panel));
  dom.heatmap.addEventListener('keydown', (e) => {
    if (!state.init || state.rows.length === 0) return;
    if (e.key === 'Escape') {
      if (state.pinned !== null) setPinned(panel, null);
      e.preventDefault();
      return;
    }
    if (e.key === 'Enter' || e.key === ' ') {
      togglePin(panel, state.rows[state.focusCell.row]);
      e.preventDefault();
      return;
    }
    // Zoom keys reveal the focused cell; its column counts in the window's units (rows' when not square).
    const zoomed = zoomKey(state.zoom, e.key, e.shiftKey, { row: state.focusCell.row, col: colInZoomUnits(state, state.focusCell.col) });
    if (zoomed) {
      e.preventDefault();
      setZoom(panel, zoomed);
      refreshMarks(panel);
      return;
    }
    const next = moveCell(state.focusCell, e.key, state.rows.length, state.cols.length);
    if (!next) return;
    e.preventDefault();
    state.focusCell = next;
    // Keep the focused cell inside the zoom window.
    setZoom(panel, reveal(state.zoom, next.row, colInZoomUnits(state, next.col)));
    setHovered(panel, state.rows[next.row]);
    refreshMarks(panel);
    announce(panel, cellText(panel, next));
  });

  const strip = dom.strip.element;
  strip.tabIndex = 0;
  strip.setAttribute('aria-label', 'Tokens of the analysed text: Left and Right move, Enter pins, Escape unpins');
  let at = -1;
  strip.addEventListener('keydown', (e) => {
    // The strip shows the source text: its units, or its tokens while a decoder part is shown.
    const units = state.view.part ? state.init?.tokens ?? [] : state.units;
    const shown = visibleIndices(units, state.hideSpecialTokens);
    if (!state.init || shown.length === 0) return;
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft' || e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      const last = shown.length - 1;
      at = e.key === 'Home' ? 0 : e.key === 'End' ? last : Math.max(0, Math.min(last, at + (e.key === 'ArrowRight' ? 1 : -1)));
      const unit = shown[at];
      hoverStripToken(panel, 'source', unit);
      strip.dataset.active = String(unit);
      announce(panel, units[unit]?.text ?? '');
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      // A source token pins as a query only where the heatmap's rows are the source.
      if (at >= 0 && at < shown.length && querySide(state.view) === 'source') togglePin(panel, shown[at]);
    } else if (e.key === 'Escape') {
      setPinned(panel, null);
    }
  });
  strip.addEventListener('blur', () => hoverStripToken(panel, 'source', null));
}
