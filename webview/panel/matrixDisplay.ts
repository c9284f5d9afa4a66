// What the heatmap shows: axes for the visible tokens, the layer/head selects, fetching and painting a view.
import { GRANULARITY_LABELS, type Granularity } from '../../shared/granularity';
import { describeView, viewKey, type MatrixView } from '../../shared/matrixView';
import type { ColorScale, Reading } from '../../shared/messages';
import { readPalette } from '../common/themePalette';
import { axisLabels, visibleIndices } from '../common/tokenLabels';
import { setOptions } from './panelDom';
import { lens, weightingField } from './lensState';
import { axesOf, partShape } from './partAxes';
import { fillPartSelect, selectedPart } from './partSelect';
import { ensureCross } from './stripTints';
import { querySide } from '../../shared/attentionParts';
import { refreshMarks, syncOverlaySize } from './marks';
import { applySinks } from './sinks';
import { colUnits, effectiveGranularity, rowUnits, saveState, windowCols, windowRows, type Panel } from './state';
import { windowFor, type ZoomWindow } from './zoom';
import { isLongView, paintLong, showLongView } from './longView';

export const TRUNCATED_TEXT = 'The text was longer than the model accepts; only the start was analysed.';

/**
 * What the status line says once an analysis is shown (these notes survive the 'ready' status): why the text was cut
 * (memory's note, else the generic notice) and that the vocabulary cannot read most of it.
 */
export function readyText(panel: Panel): string {
  const init = panel.state.init;
  if (!init) return '';
  const cut = init.truncated ? (init.memoryLimitNote ?? `${TRUNCATED_TEXT} It covers ${init.text.length.toLocaleString('en-US')} of the ${init.selectedLength.toLocaleString('en-US')} characters selected; the editor marks where it stops.`) : undefined;
  return [cut, init.unknownTokensNote].filter((line) => line !== undefined).join(' ');
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
  // The encoder's rows and columns are the source units at the granularity; decoder and cross-attention parts are
  // the target's (and source's) tokens.
  const queryUnits = rowUnits(state);
  const keyUnits = colUnits(state);
  state.rows = visibleIndices(queryUnits, state.hideSpecialTokens);
  state.cols = visibleIndices(keyUnits, state.hideSpecialTokens);
  state.zoom = windowFor(state.zoom, state.rows.length);
  state.axesKey = '';
  const labels = axisLabels(queryUnits, state.rows);
  panel.find.setLabels(labels);
  dom.axisLabels.replaceChildren(
    ...state.rows.map((i, pos) => {
      const li = document.createElement('li');
      li.textContent = labels[pos];
      li.dataset.index = String(i);
      return li;
    }),
  );
  // The source strip shows the encoder's units; with a decoder part, the source tokens its cross-attention links to.
  const stripUnits = state.view.part ? init.tokens : state.units;
  dom.strip.render(init.text, stripUnits, new Set(visibleIndices(stripUnits, state.hideSpecialTokens)));
  panel.parts.render(init, dom, state.hideSpecialTokens);
  dom.heatmap.dataset.units = String(state.units.length);
  dom.heatmap.dataset.granularity = effectiveGranularity(state);
  state.focusCell = { row: Math.min(state.focusCell.row, state.rows.length - 1), col: Math.min(state.focusCell.col, state.cols.length - 1) };
  if (state.matrix || isLongView(panel)) paint(panel);
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
  if (state.matrix || isLongView(panel)) paint(panel);
}

export function fillSelects(panel: Panel): void {
  const { init, view } = panel.state;
  if (!init) return;
  fillPartSelect(panel.parts.partSelect, init, view);
  const { layers, heads } = partShape(init, view);
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
      ...(view.part === 'cross' ? [] : [{ value: 'rollout', label: 'Rollout (layers 1…this)' }]),
    ],
    headValue(view),
  );
}

export function headValue(v: MatrixView): string {
  return 'head' in v ? String(v.head) : v.aggregate;
}

export function viewFromSelects(panel: Panel): MatrixView {
  const part = selectedPart(panel.parts.partSelect);
  // Switching part keeps the layer and head where the new part has them (a decoder may have fewer).
  const shape = panel.state.init ? partShape(panel.state.init, { layer: 0, head: 0, part }) : { layers: Infinity, heads: Infinity };
  const layer = Math.min(Number(panel.dom.layerSelect.value) || 0, shape.layers - 1);
  const h = panel.dom.headSelect.value;
  const view: MatrixView =
    h === 'mean' || h === 'max' ? { layer, aggregate: h }
    : h === 'rollout' && part !== 'cross' ? { aggregate: 'rollout', layer }
    : h === 'rollout' || Number(h) >= shape.heads ? { layer, aggregate: 'mean' }
    : { layer, head: Number(h) || 0 };
  return part ? { ...view, part } : view;
}

/**
 * Shows a view: from the cache at once, else after the host answers (the latest choice wins). `tellHost`: the user
 * chose it here, so the host re-tints the editor; a view the host asked for is not echoed back.
 */
export function showView(panel: Panel, next: MatrixView, tellHost = true): void {
  const { state, dom } = panel;
  const previous = state.view;
  state.view = next;
  if (state.init && (axesOf(previous) !== axesOf(next) || previous.part !== next.part)) {
    // Another part: other axes (and layers/heads in the selects); the old matrix does not fit them.
    state.matrix = undefined;
    if (querySide(previous) !== querySide(next)) {
      // Rows are another text's tokens now: a pin on the old rows means nothing (the host drops it too).
      if (state.pinned !== null && tellHost) panel.api.postMessage({ type: 'pinQuery', query: null, view: next, reading: state.reading });
      state.hovered = state.pinned = null;
      panel.parts.crossFocus = null;
    }
    fillSelects(panel);
    relayout(panel);
  }
  ensureCross(panel);
  // Decoder and cross-attention stay at tokens (the target has no editor words or lines to group by).
  const granularity = effectiveGranularity(state);
  const key = `${viewKey(next)}|${granularity}`;
  dom.heatmap.dataset.view = viewKey(next);
  dom.heatmap.dataset.layer = next.layer === undefined ? '' : String(next.layer);
  dom.heatmap.dataset.head = 'head' in next ? String(next.head) : '';
  dom.viewLabel.textContent =
    granularity === 'tokens' ? `${describeView(next)}${next.part && state.reading.granularity !== 'tokens' ? ' · tokens (the target has no words or lines to group)' : ''}` : `${describeView(next)} · ${GRANULARITY_LABELS[granularity]}`;
  saveState(panel);
  if (tellHost) panel.api.postMessage({ type: 'viewChanged', view: next });
  if (isLongView(panel)) {
    // Too long for whole matrices: the pooled overview, and exact tiles once zoomed in (longView.ts).
    state.matrix = undefined;
    showLongView(panel, next);
    return;
  }
  state.longCell = undefined;
  state.longFigure = undefined;
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
      const queries = res.queries ?? res.n;
      if (init?.analysisId !== analysisId || !init || res.granularity !== granularity || res.n !== colUnits(state).length || queries !== rowUnits(state).length || res.data.length !== res.n * queries || weighting !== lens.weighting) return;
      panel.cache.set(key, res.data);
      if (`${viewKey(state.view)}|${effectiveGranularity(state)}` !== key) return;
      state.matrix = res.data;
      paint(panel);
    })
    .catch((err: Error) => {
      if (`${viewKey(state.view)}|${effectiveGranularity(state)}` !== key) return;
      showError(panel, err.message);
    })
    .finally(() => {
      if (`${viewKey(state.view)}|${effectiveGranularity(state)}` === key) dom.heatmap.removeAttribute('aria-busy');
    });
}

export function paint(panel: Panel): void {
  const { state, dom, heatmap } = panel;
  if (isLongView(panel)) {
    paintLong(panel);
    return;
  }
  if (!state.init || !state.matrix) return;
  const t0 = performance.now();
  const rows = windowRows(state);
  const cols = windowCols(state);
  const queryUnits = rowUnits(state);
  const keyUnits = colUnits(state);
  const axesKey = `${state.zoom.row0},${state.zoom.col0},${state.zoom.size}`;
  if (axesKey !== state.axesKey) {
    // Only what the window shows: Chart.js lays out the labels it was given, as many as fit.
    heatmap.setAxes(axisLabels(queryUnits, rows), axisLabels(keyUnits, cols));
    state.axesKey = axesKey;
  }
  // Sinks are source token columns: found and marked for the encoder at token granularity only.
  const scaleCols = effectiveGranularity(state) === 'tokens' && !state.view.part ? applySinks(panel, rows, cols) : cols;
  const n = keyUnits.length;
  heatmap.show({ matrix: state.matrix, n, rows, cols, bitmap: rows.length < state.rows.length || cols.length < state.cols.length, scaleCols });
  if (state.minimapMatrix !== state.matrix) {
    panel.minimap.paint(state.matrix, n, state.rows, state.palette.lut, state.cols);
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
