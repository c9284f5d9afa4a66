// Pointer on the heatmap and the token strip: hover a query (tooltip with the weight), click to pin it.
import { cellAt } from './cellGeometry';
import { cellText, setHovered, togglePin } from './marks';
import type { Panel } from './state';
import { hoverStripToken } from './stripTints';
import { querySide } from '../../shared/attentionParts';

export function wirePointer(panel: Panel): void {
  const { dom, heatmap, state } = panel;
  let pending: PointerEvent | undefined;
  let frame = 0;
  // One hit-test per animation frame however fast the pointer moves.
  const onFrame = () => {
    frame = 0;
    const e = pending;
    if (!e || !state.init || !state.matrix) return;
    const box = dom.chartCanvas.getBoundingClientRect();
    const cell = cellAt(e.clientX - box.left, e.clientY - box.top, heatmap.area, state.rows.length, state.cols.length);
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
  dom.heatmap.addEventListener('pointermove', (e) => {
    pending = e;
    if (!frame) frame = requestAnimationFrame(onFrame);
  });
  dom.heatmap.addEventListener('pointerleave', () => {
    pending = undefined;
    dom.tooltip.hidden = true;
    setHovered(panel, null);
  });
  dom.heatmap.addEventListener('click', (e) => {
    const box = dom.chartCanvas.getBoundingClientRect();
    const cell = cellAt(e.clientX - box.left, e.clientY - box.top, heatmap.area, state.rows.length, state.cols.length);
    if (!cell) return;
    state.focusCell = cell;
    togglePin(panel, state.rows[cell.row]);
  });
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
