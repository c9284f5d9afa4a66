// Pointer on the heatmap and the token strip: hover a query (tooltip with the weight), click to pin it.
import { cellAt } from './cellGeometry';
import { cellText, setHovered, togglePin } from './marks';
import type { Panel } from './state';

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
    const cell = cellAt(e.clientX - box.left, e.clientY - box.top, heatmap.area, state.rows.length, state.rows.length);
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
    const cell = cellAt(e.clientX - box.left, e.clientY - box.top, heatmap.area, state.rows.length, state.rows.length);
    if (!cell) return;
    state.focusCell = cell;
    togglePin(panel, state.rows[cell.row]);
  });
  const stripIndex = (e: Event) => {
    const t = (e.target as HTMLElement).closest<HTMLElement>('span.token');
    return t?.dataset.index === undefined ? null : Number(t.dataset.index);
  };
  // pointerover fires once per token entered, so it needs no frame throttling; answering at once saves up to a frame.
  dom.strip.element.addEventListener('pointerover', (e) => setHovered(panel, stripIndex(e)));
  dom.strip.element.addEventListener('pointerleave', () => setHovered(panel, null));
  dom.strip.element.addEventListener('click', (e) => {
    const q = stripIndex(e);
    if (q !== null) togglePin(panel, q);
  });
}
