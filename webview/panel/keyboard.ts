// Keyboard on the focused heatmap: arrows move a focus cell (announced), Enter/Space pin its row, Escape unpins.
import { moveCell } from './cellGeometry';
import { announce, cellText, refreshMarks, setHovered, setPinned, togglePin } from './marks';
import type { Panel } from './state';

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
    const next = moveCell(state.focusCell, e.key, state.rows.length, state.rows.length);
    if (!next) return;
    e.preventDefault();
    state.focusCell = next;
    setHovered(panel, state.rows[next.row]);
    refreshMarks(panel);
    announce(panel, cellText(panel, next));
  });
}
