// Pointer on the heatmap and the token strip: hover a query (tooltip with the weight), click to pin it; the wheel
// zooms around the pointer, a drag pans the zoomed heatmap, a drag along the row labels (or Shift+drag over the
// cells) selects a query span.
import { axisSpan } from '../../shared/spanQueries';
import { cellAt, type Cell } from './cellGeometry';
import { setZoom } from './matrixDisplay';
import { cellText, setHovered, togglePin, refreshMarks } from './marks';
import { windowColRange, windowRows, type Panel } from './state';
import { panByPixels, wheelFactor, zoomAt, type ZoomWindow } from './zoom';
import { hoverStripToken } from './stripTints';
import { querySide } from '../../shared/attentionParts';
import { isLongView } from './longView';

/** Pixels a press may move and still count as a click. */
const CLICK_SLOP = 4;

export function wirePointer(panel: Panel): void {
  const { dom, heatmap, state } = panel;
  let pending: PointerEvent | undefined;
  let frame = 0;
  /** The row (in `state.rows` positions) at a client y, anywhere along the row axis; null above or below the cells. */
  const rowFrom = (clientY: number): number | null => {
    const box = dom.chartCanvas.getBoundingClientRect();
    const a = heatmap.area;
    const fy = (clientY - box.top - a.top) / a.height;
    return fy >= 0 && fy < 1 && state.zoom.size > 0 ? state.zoom.row0 + Math.min(state.zoom.size - 1, Math.floor(fy * state.zoom.size)) : null;
  };
  /** Whether a client x lies left of the cells, on the row labels. */
  const onRowAxis = (clientX: number): boolean => clientX - dom.chartCanvas.getBoundingClientRect().left < heatmap.area.left;
  /** The cell under a client point, in `state.rows` positions (the zoom window's offset added). */
  const cellFrom = (clientX: number, clientY: number): Cell | null => {
    const box = dom.chartCanvas.getBoundingClientRect();
    const [c0, c1] = windowColRange(state);
    const cell = cellAt(clientX - box.left, clientY - box.top, heatmap.area, windowRows(state).length, c1 - c0);
    return cell && { row: cell.row + state.zoom.row0, col: cell.col + c0 };
  };
  // One hit-test per animation frame however fast the pointer moves.
  const onFrame = () => {
    frame = 0;
    const e = pending;
    // A long analysis has no whole matrix: its cells read exact weights from the tile once zoomed in (cellText).
    if (!e || !state.init || !(state.matrix || state.longCell) || drag) return;
    const cell = cellFrom(e.clientX, e.clientY);
    if (!cell) {
      dom.tooltip.hidden = true;
      setHovered(panel, null);
      return;
    }
    dom.tooltip.textContent = cellText(panel, cell);
    dom.tooltip.hidden = false;
    const host = dom.heatmap.getBoundingClientRect();
    const x = e.clientX - host.left + 14;
    const y = e.clientY - host.top + 14;
    dom.tooltip.style.left = `${Math.min(x, host.width - dom.tooltip.offsetWidth - 4)}px`;
    dom.tooltip.style.top = `${Math.min(y, host.height - dom.tooltip.offsetHeight - 4)}px`;
    setHovered(panel, state.rows[cell.row]);
  };

  let drag: { x: number; y: number; start: ZoomWindow; startCell: Cell | null; span: boolean; moved: boolean } | undefined;
  dom.heatmap.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 || !(state.matrix || isLongView(panel))) return;
    // Along the row labels, or with Shift over the cells, a drag selects a span of queries; otherwise it pans.
    const axis = onRowAxis(e.clientX);
    const row = rowFrom(e.clientY);
    const startCell = axis ? (row === null ? null : { row, col: 0 }) : cellFrom(e.clientX, e.clientY);
    drag = { x: e.clientX, y: e.clientY, start: state.zoom, startCell, span: e.shiftKey || axis, moved: false };
    dom.heatmap.setPointerCapture(e.pointerId);
  });
  dom.heatmap.addEventListener('pointermove', (e) => {
    if (drag) {
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < CLICK_SLOP) return;
      drag.moved = true;
      dom.tooltip.hidden = true;
      if (!drag.span) setZoom(panel, panByPixels(drag.start, dx, dy, heatmap.area.height / Math.max(1, state.zoom.size)));
      return;
    }
    pending = e;
    if (!frame) frame = requestAnimationFrame(onFrame);
  });
  dom.heatmap.addEventListener('pointerup', (e) => {
    const d = drag;
    drag = undefined;
    if (!d) return;
    const cell = cellFrom(e.clientX, e.clientY);
    const endRow = rowFrom(e.clientY);
    if (d.moved && d.span && d.startCell && endRow !== null && state.init) {
      // A drag along the rows: that run of queries is one span (its rows averaged, or its columns summed).
      const span = axisSpan(d.startCell.row, endRow, state.rows.length).map((p) => state.rows[p]);
      panel.api.postMessage({ type: 'querySpan', span, view: state.view, reading: state.reading });
      dom.heatmap.dataset.span = `${span[0]}-${span[span.length - 1]}`;
      return;
    }
    if (d.moved || !cell) return;
    state.focusCell = cell;
    togglePin(panel, state.rows[cell.row]);
  });
  dom.heatmap.addEventListener('pointerleave', () => {
    pending = undefined;
    dom.tooltip.hidden = true;
    setHovered(panel, null);
  });
  dom.heatmap.addEventListener(
    'wheel',
    (e) => {
      if (!(state.matrix || isLongView(panel)) || state.rows.length === 0) return;
      e.preventDefault();
      const box = dom.chartCanvas.getBoundingClientRect();
      const a = heatmap.area;
      const fx = Math.min(1, Math.max(0, (e.clientX - box.left - a.left) / a.width));
      const fy = Math.min(1, Math.max(0, (e.clientY - box.top - a.top) / a.height));
      const anchor = { row: state.zoom.row0 + Math.floor(fy * state.zoom.size), col: state.zoom.col0 + Math.floor(fx * state.zoom.size) };
      setZoom(panel, zoomAt(state.zoom, wheelFactor(e.deltaY, e.deltaMode), anchor, { x: fx, y: fy }));
      refreshMarks(panel);
    },
    { passive: false },
  );
  const stripIndex = (e: Event) => {
    const t = (e.target as HTMLElement).closest<HTMLElement>('span.token');
    return t?.dataset.index === undefined ? null : Number(t.dataset.index);
  };
  // pointerover fires once per token entered, so it needs no frame throttling; answering at once saves up to a frame.
  for (const [strip, side] of [[dom.strip, 'source'], [panel.parts.targetStrip, 'target']] as const) {
    strip.element.addEventListener('pointerover', (e) => hoverStripToken(panel, side, stripIndex(e)));
    strip.element.addEventListener('pointerleave', () => hoverStripToken(panel, side, null));
    strip.element.addEventListener('click', (e) => {
      const q = stripIndex(e);
      // A token pins as a query of the heatmap: only in the strip whose tokens are its rows.
      if (q !== null && side === querySide(state.view)) togglePin(panel, q);
    });
  }
}
