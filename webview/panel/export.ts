// Export from the panel: the figure on screen (title, labels, colour bar) as PNG or SVG, the data of this view or of
// everything as CSV/JSON, the offline HTML report; and the PNG the host asks for (Export Heatmap command).
import { GRANULARITY_LABELS, MERGE_RULE } from '../../shared/granularity';
import type { FigureSpec } from '../../shared/figure';
import { describeView } from '../../shared/matrixView';
import type { ExportReply } from '../../shared/messages';
import { figurePng } from '../common/paintFigure';
import { axisLabels } from '../common/tokenLabels';
import { figureSpecOf } from './figureSpec';
import { announce } from './marks';
import { showError } from './matrixDisplay';
import { colUnits, effectiveGranularity, rowUnits, windowColRange, windowCols, windowRows, type Panel } from './state';

/** Longest wait for the first paint of a panel that was just (re)loaded to answer `renderPng`. */
const FIRST_PAINT_TIMEOUT_MS = 20_000;

const DIRECTION_AXES = { rowAxis: 'Query (attending)', colAxis: 'Key (attended to)' };

/** Whether the panel has a figure to export: a whole matrix, or a long analysis's cells on screen. */
export function hasFigure(panel: Panel): boolean {
  return !!(panel.state.matrix || panel.state.longFigure);
}

/** The figure of what is on screen: the zoom window's cells and labels, the colour bar, the title lines. */
export function currentFigure(panel: Panel): FigureSpec {
  const { state, heatmap } = panel;
  const init = state.init!;
  const rows = windowRows(state);
  const cols = windowCols(state);
  // Decoder and cross-attention parts are at tokens; describeView names the part in the title.
  const g = effectiveGranularity(state);
  const [c0, c1] = windowColRange(state);
  const zoomed = state.zoom.size < state.zoom.total ? ` · rows ${state.zoom.row0 + 1}–${state.zoom.row0 + rows.length}, columns ${c0 + 1}–${c1}` : '';
  const long = state.matrix ? undefined : state.longFigure;
  if (long) {
    // A long analysis: the pooled overview cells or the exact tile on screen, said so in the title.
    return figureSpecOf({
      title: [...init.figureTitle, `${describeView(state.view)} · ${long.note}${zoomed}`],
      matrix: long.matrix,
      n: long.n,
      rows: long.rows,
      cols: long.cols,
      rowLabels: long.rowLabels,
      colLabels: long.colLabels,
      max: heatmap.maxWeight,
      lut: state.palette.lut,
      background: state.palette.background,
      foreground: state.palette.foreground,
      ...(long.pooled ? { rowAxis: 'Query tokens (pooled)', colAxis: 'Key tokens (pooled)' } : DIRECTION_AXES),
      note: long.pooled ? 'Each cell is the largest weight among the tokens it covers; labels are their token indices.' : undefined,
    });
  }
  const keyUnits = colUnits(state);
  return figureSpecOf({
    title: [...init.figureTitle, `${describeView(state.view)} · ${GRANULARITY_LABELS[g]}${zoomed}`],
    matrix: state.matrix!,
    n: keyUnits.length,
    rows,
    cols,
    rowLabels: axisLabels(rowUnits(state), rows),
    colLabels: axisLabels(keyUnits, cols),
    max: heatmap.maxWeight,
    lut: state.palette.lut,
    background: state.palette.background,
    foreground: state.palette.foreground,
    ...DIRECTION_AXES,
    note: g === 'tokens' ? undefined : MERGE_RULE,
  });
}

/** The figure as a PNG data URL, for the host's `renderPng` request; waits for the first paint after a reload. */
export async function renderPng(panel: Panel): Promise<{ dataUrl: string }> {
  if (!hasFigure(panel)) await whenPainted(panel);
  if (!hasFigure(panel)) throw new Error('The heatmap has not been drawn yet.');
  return { dataUrl: await figurePng(currentFigure(panel)) };
}

function whenPainted(panel: Panel): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The heatmap has not been drawn yet.')), FIRST_PAINT_TIMEOUT_MS);
    panel.state.paintWaiters.push(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export function wireExportButtons(panel: Panel): void {
  const { dom, host, state } = panel;
  const common = () => ({ view: state.view, granularity: state.reading.granularity });
  dom.exportButtons.png.addEventListener('click', async () => {
    if (!hasFigure(panel)) return;
    try {
      const dataUrl = await figurePng(currentFigure(panel));
      await reportSaved(panel, host.request({ type: 'exportImage', format: 'png', dataUrl, ...common() }, 'Export PNG'));
    } catch (err) {
      showError(panel, (err as Error).message);
    }
  });
  dom.exportButtons.svg.addEventListener('click', () => {
    if (!hasFigure(panel)) return;
    void reportSaved(panel, host.request({ type: 'exportImage', format: 'svg', figure: currentFigure(panel), ...common() }, 'Export SVG'));
  });
  for (const format of ['csv', 'json'] as const) {
    dom.exportButtons[format].addEventListener('click', () => {
      const scope = dom.exportScope.value === 'all' ? 'all' : 'view';
      void reportSaved(panel, host.request({ type: 'exportData', format, scope, ...common() }, `Export ${format.toUpperCase()}`));
    });
  }
  dom.exportButtons.html.addEventListener('click', () =>
    reportSaved(panel, host.request({ type: 'exportData', format: 'html', scope: 'all', ...common() }, 'Export HTML report')),
  );
}

/** Says where an export went (nothing when the user closed the dialog), or why it failed. */
async function reportSaved(panel: Panel, reply: Promise<ExportReply>): Promise<void> {
  try {
    const { savedTo } = await reply;
    if (!savedTo) return;
    announce(panel, `Saved to ${savedTo}`);
    panel.dom.status.textContent = `Saved to ${savedTo}`;
  } catch (err) {
    showError(panel, (err as Error).message);
  }
}
