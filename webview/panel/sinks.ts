// Sink columns of the matrix shown: flagged on the key axis (⚓) and, when the user asks, left out of the colour
// scale so the rest of the matrix is not washed out by one column. Computed from the matrix in hand (N² argmax work).
import { sinkColumns } from '../../shared/sinkColumns';
import { axisLabels } from '../common/tokenLabels';
import { lens } from './lensState';
import type { Panel } from './state';

export const SINK_MARK = '⚓ ';
export const SINK_SENTENCE =
  'A sink is a token that most queries attend to whatever the text says (often the first token or [SEP]): heads park attention there when they have nothing to add, so a bright sink column says little about meaning (Xiao et al. 2023).';

let marked = false;

/**
 * Finds the sinks of the token matrix about to be painted, marks them on the key axis of the zoom window (`rows` ×
 * `cols`) and returns the key columns that set the colour scale (all shown columns unless sinks are left out).
 */
export function applySinks(panel: Panel, rows: number[] = panel.state.rows, cols: number[] = rows): number[] {
  const { init, matrix } = panel.state;
  if (!init || !matrix) return cols;
  lens.sinks = sinkColumns(matrix, init.n);
  const visibleSinks = lens.sinks.filter((k) => cols.includes(k));
  const dataset = panel.dom.heatmap.dataset;
  dataset.sinks = lens.sinks.join(',');
  dataset.sinkScale = lens.excludeSinks && visibleSinks.length ? 'excluded' : 'included';
  if (visibleSinks.length || marked) {
    const colLabels = axisLabels(init.tokens, cols);
    panel.heatmap.setAxes(axisLabels(init.tokens, rows), colLabels.map((l, i) => (visibleSinks.includes(cols[i]) ? SINK_MARK + l : l)));
    marked = visibleSinks.length > 0;
  }
  // The screen-reader list of axis labels says which keys are sinks too.
  for (const li of panel.dom.axisLabels.children) {
    const sink = lens.sinks.includes(Number((li as HTMLElement).dataset.index));
    li.toggleAttribute('data-sink', sink);
    if (sink) li.setAttribute('aria-label', `${li.textContent} (attention sink)`);
    else li.removeAttribute('aria-label');
  }
  lens.onChange?.();
  if (!lens.excludeSinks || visibleSinks.length === 0 || visibleSinks.length === cols.length) return cols;
  return cols.filter((k) => !lens.sinks.includes(k));
}

/** One line naming the sinks of the matrix shown, for the tools bar. */
export function sinkSummary(panel: Panel): string {
  const init = panel.state.init;
  if (!init || lens.sinks.length === 0) return 'No sink in this view.';
  const names = lens.sinks.map((k) => `${axisLabels(init.tokens, [k])[0]}${panel.state.rows.includes(k) ? '' : ' (hidden)'}`);
  return `Sink${names.length > 1 ? 's' : ''}: ${names.join(', ')}`;
}
