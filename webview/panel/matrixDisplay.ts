// What the heatmap shows: axes for the visible tokens, the layer/head selects, fetching and painting a view.
import { describeView, viewKey, type MatrixView } from '../../shared/matrixView';
import type { ColorScale } from '../../shared/messages';
import { readPalette } from '../common/themePalette';
import { axisLabels, visibleIndices } from '../common/tokenLabels';
import { setOptions } from './panelDom';
import { lens, weightingField } from './lensState';
import { axesOf, keyCount, partShape, queryCount, tokensOf } from './partAxes';
import { fillPartSelect, selectedPart } from './partSelect';
import { ensureCross } from './stripTints';
import { keySide, querySide } from '../../shared/attentionParts';
import { refreshMarks, syncOverlaySize } from './marks';
import { applySinks } from './sinks';
import { saveState, type Panel } from './state';

export const TRUNCATED_TEXT = 'The text was longer than the model accepts; only the start was analysed.';

/**
 * What the status line says once an analysis is shown (these notes survive the 'ready' status): why the text was cut
 * (memory's note, else the generic notice) and that the vocabulary cannot read most of it.
 */
export function readyText(panel: Panel): string {
  const init = panel.state.init;
  if (!init) return '';
  const cut = init.truncated ? init.memoryLimitNote ?? TRUNCATED_TEXT : undefined;
  return [cut, init.unknownTokensNote].filter((line) => line !== undefined).join(' ');
}

export function setColorScale(panel: Panel, scale: ColorScale): void {
  if (scale === panel.state.colorScale) return;
  panel.state.colorScale = scale;
  panel.state.palette = readPalette(scale);
  panel.heatmap.setPalette(panel.state.palette);
}

/** Rebuilds axes, labels and strip for the current tokens and hideSpecialTokens. */
export function relayout(panel: Panel): void {
  const { state, dom } = panel;
  const init = state.init;
  if (!init) return;
  const queryTokens = tokensOf(init, querySide(state.view));
  const keyTokens = tokensOf(init, keySide(state.view));
  state.rows = visibleIndices(queryTokens, state.hideSpecialTokens);
  state.cols = visibleIndices(keyTokens, state.hideSpecialTokens);
  const labels = axisLabels(queryTokens, state.rows);
  panel.heatmap.setAxes(labels, axisLabels(keyTokens, state.cols));
  dom.axisLabels.replaceChildren(
    ...state.rows.map((i, pos) => {
      const li = document.createElement('li');
      li.textContent = labels[pos];
      li.dataset.index = String(i);
      return li;
    }),
  );
  dom.strip.render(init.text, init.tokens, new Set(visibleIndices(init.tokens, state.hideSpecialTokens)));
  panel.parts.render(init, dom, state.hideSpecialTokens);
  state.focusCell = { row: Math.min(state.focusCell.row, state.rows.length - 1), col: Math.min(state.focusCell.col, state.cols.length - 1) };
  if (state.matrix) paint(panel);
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
      if (state.pinned !== null && tellHost) panel.api.postMessage({ type: 'pinQuery', query: null, view: next });
      state.hovered = state.pinned = null;
      panel.parts.crossFocus = null;
    }
    fillSelects(panel);
    relayout(panel);
  }
  ensureCross(panel);
  const key = viewKey(next);
  dom.heatmap.dataset.view = key;
  dom.heatmap.dataset.layer = next.layer === undefined ? '' : String(next.layer);
  dom.heatmap.dataset.head = 'head' in next ? String(next.head) : '';
  dom.viewLabel.textContent = describeView(next);
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
    .request({ type: 'requestMatrix', view: next, ...weightingField() }, describeView(next))
    .then((res) => {
      const init = state.init;
      const queries = res.queries ?? res.n;
      if (init?.analysisId !== analysisId || !init || res.n !== keyCount(init, next) || queries !== queryCount(init, next) || res.data.length !== res.n * queries || weighting !== lens.weighting) return;
      panel.cache.set(key, res.data);
      if (viewKey(state.view) !== key) return;
      state.matrix = res.data;
      paint(panel);
    })
    .catch((err: Error) => {
      if (viewKey(state.view) !== key) return;
      showError(panel, err.message);
    })
    .finally(() => {
      if (viewKey(state.view) === key) dom.heatmap.removeAttribute('aria-busy');
    });
}

export function paint(panel: Panel): void {
  const { state, dom, heatmap } = panel;
  if (!state.init || !state.matrix) return;
  const ms = heatmap.show({ matrix: state.matrix, n: keyCount(state.init, state.view), rows: state.rows, cols: state.cols, scaleCols: applySinks(panel) });
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
