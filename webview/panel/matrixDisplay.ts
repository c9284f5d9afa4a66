// What the heatmap shows: axes for the visible tokens, the layer/head selects, fetching and painting a view.
import { GRANULARITY_LABELS, type Granularity } from '../../shared/granularity';
import { describeView, viewKey, type MatrixView } from '../../shared/matrixView';
import type { ColorScale, Reading } from '../../shared/messages';
import { readPalette } from '../common/themePalette';
import { axisLabels, visibleIndices } from '../common/tokenLabels';
import { setOptions } from './panelDom';
import { lens, weightingField } from './lensState';
import { refreshMarks, syncOverlaySize } from './marks';
import { applySinks } from './sinks';
import { saveState, unitCount, windowCols, windowRows, type Panel } from './state';
import { windowFor, type ZoomWindow } from './zoom';

export const TRUNCATED_TEXT = 'The text was longer than the model accepts; only the start was analysed.';

/** What the status line says once an analysis is shown: the truncation notice survives the 'ready' status. */
export function readyText(panel: Panel): string {
  const init = panel.state.init;
  if (!init?.truncated) return '';
  return `${TRUNCATED_TEXT} It covers ${init.text.length.toLocaleString('en-US')} of the ${init.selectedLength.toLocaleString('en-US')} characters selected; the editor marks where it stops.`;
}

export function setColorScale(panel: Panel, scale: ColorScale): void {
  if (scale === panel.state.colorScale) return;
  panel.state.colorScale = scale;
  panel.state.palette = readPalette(scale);
  panel.heatmap.setPalette(panel.state.palette);
  // The minimap redraws with the new scale at the next paint.
  panel.state.minimapMatrix = undefined;
}

/** Rebuilds axes, labels and strip for the current units (tokens or groups) and hideSpecialTokens. */
export function relayout(panel: Panel): void {
  const { state, dom } = panel;
  const init = state.init;
  if (!init) return;
  if (state.reading.granularity === 'tokens') state.units = init.tokens;
  state.rows = visibleIndices(state.units, state.hideSpecialTokens);
  state.zoom = windowFor(state.zoom, state.rows.length);
  state.axesKey = '';
  const labels = axisLabels(state.units, state.rows);
  panel.find.setLabels(labels);
  dom.axisLabels.replaceChildren(
    ...state.rows.map((i, pos) => {
      const li = document.createElement('li');
      li.textContent = labels[pos];
      li.dataset.index = String(i);
      return li;
    }),
  );
  dom.strip.render(init.text, state.units, new Set(state.rows));
  dom.heatmap.dataset.units = String(state.units.length);
  dom.heatmap.dataset.granularity = state.reading.granularity;
  const last = state.rows.length - 1;
  state.focusCell = { row: Math.min(state.focusCell.row, last), col: Math.min(state.focusCell.col, last) };
  if (state.matrix) paint(panel);
}

/**
 * Reads attention at another granularity or direction: fetches the groups (words, identifiers, lines) from the host,
 * then the shown view merged to them. The zoom window resets when the number of rows changes.
 */
export async function setReading(panel: Panel, reading: Reading): Promise<void> {
  const { state } = panel;
  const granularityChanged = reading.granularity !== state.reading.granularity;
  state.reading = reading;
  saveState(panel);
  // The editor tints follow the reading from now on (a new granularity has no hovered or pinned row yet).
  const query = granularityChanged ? null : (state.hovered ?? state.pinned);
  panel.api.postMessage({ type: 'hoverQuery', query, view: state.view, reading });
  if (!granularityChanged || !state.init) {
    refreshMarks(panel);
    return;
  }
  const analysisId = state.init.analysisId;
  try {
    if (reading.granularity === 'tokens') state.units = state.init.tokens;
    else {
      const { groups, granularity } = await panel.host.request({ type: 'requestGroups', granularity: reading.granularity }, GRANULARITY_LABELS[reading.granularity]);
      if (state.init?.analysisId !== analysisId || granularity !== state.reading.granularity) return;
      state.units = groups;
    }
  } catch (err) {
    showError(panel, (err as Error).message);
    return;
  }
  state.matrix = undefined;
  state.hovered = null;
  state.pinned = null;
  relayout(panel);
  showView(panel, state.view, false);
}

/** Moves or resizes the zoom window and repaints (the matrix is already here: no host round trip). */
export function setZoom(panel: Panel, next: ZoomWindow): void {
  const { state, dom } = panel;
  const z = state.zoom;
  if (next.row0 === z.row0 && next.col0 === z.col0 && next.size === z.size) return;
  state.zoom = next;
  dom.heatmap.dataset.zoom = `${next.row0},${next.col0},${next.size}`;
  if (state.matrix) paint(panel);
}

export function fillSelects(panel: Panel): void {
  const { init, view } = panel.state;
  if (!init) return;
  const { layers, heads } = init.model;
  setOptions(
    panel.dom.layerSelect,
    Array.from({ length: layers }, (_, l) => ({ value: String(l), label: `Layer ${l + 1}` })),
    String(view.layer ?? layers - 1),
  );
  setOptions(
    panel.dom.headSelect,
    [
      ...Array.from({ length: heads }, (_, h) => ({ value: String(h), label: `Head ${h + 1}` })),
      { value: 'mean', label: 'Mean of heads' },
      { value: 'max', label: 'Max of heads' },
      { value: 'rollout', label: 'Rollout (layers 1…this)' },
    ],
    headValue(view),
  );
}

export function headValue(v: MatrixView): string {
  return 'head' in v ? String(v.head) : v.aggregate;
}

export function viewFromSelects(panel: Panel): MatrixView {
  const layer = Number(panel.dom.layerSelect.value) || 0;
  const h = panel.dom.headSelect.value;
  if (h === 'mean' || h === 'max') return { layer, aggregate: h };
  if (h === 'rollout') return { aggregate: 'rollout', layer };
  return { layer, head: Number(h) || 0 };
}

/**
 * Shows a view: from the cache at once, else after the host answers (the latest choice wins). `tellHost`: the user
 * chose it here, so the host re-tints the editor; a view the host asked for is not echoed back.
 */
export function showView(panel: Panel, next: MatrixView, tellHost = true): void {
  const { state, dom } = panel;
  state.view = next;
  const granularity = state.reading.granularity;
  const key = `${viewKey(next)}|${granularity}`;
  dom.heatmap.dataset.view = viewKey(next);
  dom.heatmap.dataset.layer = next.layer === undefined ? '' : String(next.layer);
  dom.heatmap.dataset.head = 'head' in next ? String(next.head) : '';
  dom.viewLabel.textContent = granularity === 'tokens' ? describeView(next) : `${describeView(next)} · ${GRANULARITY_LABELS[granularity]}`;
  saveState(panel);
  if (tellHost) panel.api.postMessage({ type: 'viewChanged', view: next });
  const cached = panel.cache.get(key);
  if (cached) {
    state.matrix = cached;
    paint(panel);
    return;
  }
  dom.heatmap.setAttribute('aria-busy', 'true');
  const analysisId = state.init?.analysisId;
  const weighting = lens.weighting;
  panel.host
    .request({ type: 'requestMatrix', view: next, granularity, ...weightingField() }, describeView(next))
    .then((res) => {
      const init = state.init;
      if (init?.analysisId !== analysisId || !init || res.granularity !== granularity || res.n !== unitCount(state) || res.data.length !== res.n * res.n || weighting !== lens.weighting) return;
      panel.cache.set(key, res.data);
      if (`${viewKey(state.view)}|${state.reading.granularity}` !== key) return;
      state.matrix = res.data;
      paint(panel);
    })
    .catch((err: Error) => {
      if (`${viewKey(state.view)}|${state.reading.granularity}` !== key) return;
      showError(panel, err.message);
    })
    .finally(() => {
      if (`${viewKey(state.view)}|${state.reading.granularity}` === key) dom.heatmap.removeAttribute('aria-busy');
    });
}

export function paint(panel: Panel): void {
  const { state, dom, heatmap } = panel;
  if (!state.init || !state.matrix) return;
  const t0 = performance.now();
  const rows = windowRows(state);
  const cols = windowCols(state);
  const axesKey = `${state.zoom.row0},${state.zoom.col0},${state.zoom.size}`;
  if (axesKey !== state.axesKey) {
    // Only what the window shows: Chart.js lays out the labels it was given, as many as fit.
    heatmap.setAxes(axisLabels(state.units, rows), axisLabels(state.units, cols));
    state.axesKey = axesKey;
  }
  // Sinks are token columns: found and marked at token granularity only.
  const scaleCols = state.reading.granularity === 'tokens' ? applySinks(panel, rows, cols) : cols;
  heatmap.show({ matrix: state.matrix, n: unitCount(state), rows, cols, bitmap: state.zoom.size < state.zoom.total, scaleCols });
  if (state.minimapMatrix !== state.matrix) {
    panel.minimap.paint(state.matrix, unitCount(state), state.rows, state.palette.lut);
    state.minimapMatrix = state.matrix;
  }
  panel.minimap.show(state.zoom);
  const area = heatmap.area;
  // The cells' area inside the axes (tests check that every label of a zoom window fits in it).
  dom.heatmap.dataset.area = `${Math.round(area.width)}x${Math.round(area.height)}`;
  const ms = performance.now() - t0;
  state.renderCount++;
  dom.heatmap.dataset.renderMs = ms.toFixed(2);
  dom.heatmap.dataset.renderCount = String(state.renderCount);
  dom.heatmap.dataset.renderMode = heatmap.mode;
  if (dom.status.classList.contains('error')) {
    dom.status.textContent = '';
    dom.status.classList.remove('error');
  }
  afterPaint(panel);
  for (const resolve of state.paintWaiters.splice(0)) resolve();
}

export function afterPaint(panel: Panel): void {
  panel.dom.legend.update(panel.state.palette.lut, panel.heatmap.maxWeight, panel.state.colorScale);
  syncOverlaySize(panel);
  refreshMarks(panel);
}

/** Shows a failure in the status line. */
export function showError(panel: Panel, message: string): void {
  panel.dom.status.textContent = message;
  panel.dom.status.classList.add('error');
}
