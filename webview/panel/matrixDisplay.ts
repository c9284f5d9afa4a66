// What the heatmap shows: axes for the visible tokens, the layer/head selects, fetching and painting a view.
import { describeView, viewKey, type MatrixView } from '../../shared/matrixView';
import type { ColorScale } from '../../shared/messages';
import { readPalette } from '../common/themePalette';
import { axisLabels, visibleIndices } from '../common/tokenLabels';
import { setOptions } from './panelDom';
import { refreshMarks, syncOverlaySize } from './marks';
import { saveState, type Panel } from './state';

export const TRUNCATED_TEXT = 'The text was longer than the model accepts; only the start was analysed.';

/** What the status line says once an analysis is shown: the truncation notice survives the 'ready' status. */
export function readyText(panel: Panel): string {
  return panel.state.init?.truncated ? TRUNCATED_TEXT : '';
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
  state.rows = visibleIndices(init.tokens, state.hideSpecialTokens);
  const labels = axisLabels(init.tokens, state.rows);
  panel.heatmap.setAxes(labels, labels);
  dom.axisLabels.replaceChildren(
    ...state.rows.map((i, pos) => {
      const li = document.createElement('li');
      li.textContent = labels[pos];
      li.dataset.index = String(i);
      return li;
    }),
  );
  dom.strip.render(init.text, init.tokens, new Set(state.rows));
  const last = state.rows.length - 1;
  state.focusCell = { row: Math.min(state.focusCell.row, last), col: Math.min(state.focusCell.col, last) };
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
  panel.host
    .request({ type: 'requestMatrix', view: next }, describeView(next))
    .then((res) => {
      const init = state.init;
      if (init?.analysisId !== analysisId || !init || res.n !== init.n || res.data.length !== res.n * res.n) return;
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
  const ms = heatmap.show({ matrix: state.matrix, n: state.init.n, rows: state.rows, cols: state.rows });
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
