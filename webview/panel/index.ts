// Entry of the attention panel webview: wires host messages, the heatmap, the token strip, keyboard and
// persisted state. Drawing lives in heatmapChart/heatmapOverlay/tokenStrip; this file only decides what to show.
import { describeView, viewFitsModel, viewKey, type MatrixView } from '../../shared/matrixView';
import { type ColorScale, type InitMessage, type MatrixResultMessage, type ExportResultMessage, type ToWebviewMessage } from '../../shared/messages';
import { cellAt, moveCell, type Cell } from './cellGeometry';
import { HeatmapChart } from './heatmapChart';
import { HeatmapOverlay } from './heatmapOverlay';
import { MatrixCache } from './matrixCache';
import { buildPanelDom, setOptions } from './panelDom';
import { PendingRequests } from '../common/pendingRequests';
import { readPalette, watchTheme, type ThemePalette } from '../common/themePalette';
import { axisLabels, formatWeight, tokenLabel, visibleIndices } from '../common/tokenLabels';
import { reportErrorsToHost, vscodeApi } from '../common/vscodeApi';

/** What survives a reload of the webview (vscode.setState). */
interface SavedState {
  analysisId: string;
  view: MatrixView;
  pinned: number | null;
}

const vscode = vscodeApi<SavedState>();
reportErrorsToHost();
const dom = buildPanelDom(document.getElementById('app') ?? document.body);
const requests = new PendingRequests();
const cache = new MatrixCache();

let init: InitMessage | undefined;
let colorScale: ColorScale = 'linear';
let hideSpecial = true;
let palette: ThemePalette = readPalette(colorScale);
let view: MatrixView = { layer: 0, head: 0 };
let matrix: Float32Array | undefined;
let rows: number[] = [];
let hovered: number | null = null;
let pinned: number | null = null;
let focusCell: Cell = { row: 0, col: 0 };
let renderCount = 0;
let lastHoverSent = '';
/** Reports an export's outcome in the status line (set up in wireControls). */
let exported: (p: Promise<ExportResultMessage>) => Promise<void> = async () => undefined;

const heatmap = new HeatmapChart(dom.chartCanvas, palette, () => syncOverlaySize());
const overlay = new HeatmapOverlay(dom.overlayCanvas);

window.addEventListener('message', (e: MessageEvent<ToWebviewMessage>) => onHostMessage(e.data));
watchTheme(() => {
  palette = readPalette(colorScale);
  heatmap.setPalette(palette);
  afterPaint();
});
wireControls();
wirePointer();
wireKeyboard();
vscode.postMessage({ type: 'ready', surface: 'panel' });

function onHostMessage(msg: ToWebviewMessage): void {
  switch (msg.type) {
    case 'init':
      return onInit(msg);
    case 'matrixResult':
    case 'exportResult':
      requests.handle(msg);
      return;
    case 'showView':
      if (!init || !viewFitsModel(msg.view, init.model)) return;
      dom.layerSelect.value = String(msg.view.layer ?? init.model.layers - 1);
      dom.headSelect.value = headValue(msg.view);
      return showView(msg.view);
    case 'exportRequest':
      return exportPng();
    case 'focusQuery':
      hovered = msg.query !== null && init && msg.query < init.n ? msg.query : null;
      return refreshMarks();
    case 'stale':
      dom.staleBanner.hidden = !msg.stale;
      return;
    case 'state':
      dom.status.textContent = msg.state === 'ready' ? readyText() : (msg.message ?? stateText(msg.state));
      dom.status.classList.toggle('error', msg.state === 'error');
      dom.status.setAttribute('role', msg.state === 'error' ? 'alert' : 'status');
      return;
    case 'settings':
      hideSpecial = msg.hideSpecial;
      if (msg.colorScale !== colorScale) {
        colorScale = msg.colorScale;
        palette = readPalette(colorScale);
        heatmap.setPalette(palette);
      }
      return relayout();
    default:
      return;
  }
}

/** What the status line says once an analysis is shown: the truncation notice survives the 'ready' state. */
function readyText(): string {
  return init?.truncated ? TRUNCATED_TEXT : '';
}

const TRUNCATED_TEXT = 'The text was longer than the model accepts; only the start was analysed.';

function stateText(state: 'loading' | 'running' | 'error'): string {
  return state === 'loading' ? 'Loading the model…' : state === 'running' ? 'Running the model…' : 'The analysis failed.';
}

function onInit(msg: InitMessage): void {
  requests.cancelAll('a new analysis replaced this one');
  cache.clear();
  init = msg;
  hideSpecial = msg.hideSpecial;
  if (msg.colorScale !== colorScale) {
    colorScale = msg.colorScale;
    palette = readPalette(colorScale);
    heatmap.setPalette(palette);
  }
  const saved = vscode.getState();
  view = saved && viewFitsModel(saved.view, msg.model) ? saved.view : msg.view;
  pinned = saved?.analysisId === msg.analysisId && saved.pinned !== null && saved.pinned < msg.n ? saved.pinned : null;
  hovered = null;
  matrix = undefined;
  dom.staleBanner.hidden = !msg.stale;
  dom.status.textContent = readyText();
  dom.modelLine.textContent = `${msg.model.name} · ${msg.model.layers} layers × ${msg.model.heads} heads · ${msg.n} tokens`;
  dom.heatmap.dataset.n = String(msg.n);
  fillSelects();
  relayout();
  showView(view);
}

/** Rebuilds axes, labels and strip for the current tokens and hideSpecial. */
function relayout(): void {
  if (!init) return;
  rows = visibleIndices(init.tokens, hideSpecial);
  const labels = axisLabels(init.tokens, rows);
  heatmap.setAxes(labels, labels);
  dom.axisLabels.replaceChildren(
    ...rows.map((i, pos) => {
      const li = document.createElement('li');
      li.textContent = labels[pos];
      li.dataset.index = String(i);
      return li;
    }),
  );
  dom.strip.render(init.text, init.tokens, new Set(rows));
  focusCell = { row: Math.min(focusCell.row, rows.length - 1), col: Math.min(focusCell.col, rows.length - 1) };
  if (matrix) paint();
}

function fillSelects(): void {
  if (!init) return;
  const { layers, heads } = init.model;
  setOptions(
    dom.layerSelect,
    Array.from({ length: layers }, (_, l) => ({ value: String(l), label: `Layer ${l + 1}` })),
    String(view.layer ?? layers - 1),
  );
  setOptions(
    dom.headSelect,
    [
      ...Array.from({ length: heads }, (_, h) => ({ value: String(h), label: `Head ${h + 1}` })),
      { value: 'mean', label: 'Mean of heads' },
      { value: 'max', label: 'Max of heads' },
      { value: 'rollout', label: 'Rollout (layers 1…this)' },
    ],
    headValue(view),
  );
}

function headValue(v: MatrixView): string {
  return 'head' in v ? String(v.head) : v.aggregate;
}

function viewFromSelects(): MatrixView {
  const layer = Number(dom.layerSelect.value) || 0;
  const h = dom.headSelect.value;
  if (h === 'mean' || h === 'max') return { layer, aggregate: h };
  if (h === 'rollout') return { aggregate: 'rollout', layer };
  return { layer, head: Number(h) || 0 };
}

/** Shows a view: from the cache at once, else after the host answers (the latest choice wins). */
function showView(next: MatrixView): void {
  view = next;
  const key = viewKey(next);
  dom.heatmap.dataset.view = key;
  dom.heatmap.dataset.layer = next.layer === undefined ? '' : String(next.layer);
  dom.heatmap.dataset.head = 'head' in next ? String(next.head) : '';
  dom.viewLabel.textContent = describeView(next);
  saveState();
  vscode.postMessage({ type: 'viewChanged', view: next });
  const cached = cache.get(key);
  if (cached) {
    matrix = cached;
    paint();
    return;
  }
  dom.heatmap.setAttribute('aria-busy', 'true');
  const analysisId = init?.analysisId;
  requests
    .send<Extract<MatrixResultMessage, { data: Float32Array }>>((requestId) => vscode.postMessage({ type: 'requestMatrix', requestId, view: next }), describeView(next))
    .then((res) => {
      if (init?.analysisId !== analysisId || !init || res.n !== init.n || res.data.length !== res.n * res.n) return;
      cache.set(key, res.data);
      if (viewKey(view) !== key) return;
      matrix = res.data;
      paint();
    })
    .catch((err: Error) => {
      if (viewKey(view) !== key) return;
      dom.status.textContent = err.message;
      dom.status.classList.add('error');
    })
    .finally(() => {
      if (viewKey(view) === key) dom.heatmap.removeAttribute('aria-busy');
    });
}

function paint(): void {
  if (!init || !matrix) return;
  const ms = heatmap.show({ matrix, n: init.n, rows, cols: rows });
  renderCount++;
  dom.heatmap.dataset.renderMs = ms.toFixed(2);
  dom.heatmap.dataset.renderCount = String(renderCount);
  dom.heatmap.dataset.renderMode = heatmap.mode;
  if (dom.status.classList.contains('error')) {
    dom.status.textContent = '';
    dom.status.classList.remove('error');
  }
  afterPaint();
}

function afterPaint(): void {
  dom.legend.update(palette.lut, heatmap.maxWeight, colorScale);
  syncOverlaySize();
}

function syncOverlaySize(): void {
  overlay.resize(dom.chartCanvas.clientWidth, dom.chartCanvas.clientHeight);
  refreshMarks();
}

/** Redraws hover/pin/focus marks and the strip tint for the active query. */
function refreshMarks(): void {
  const active = hovered ?? pinned;
  const rowOf = (q: number | null) => (q === null ? -1 : rows.indexOf(q));
  const activeRow = rowOf(hovered);
  const pinnedRow = rowOf(pinned);
  overlay.draw(
    heatmap.area,
    rows.length,
    rows.length,
    {
      activeRow: activeRow >= 0 ? activeRow : null,
      pinnedRow: pinnedRow >= 0 ? pinnedRow : null,
      focusCell: document.activeElement === dom.heatmap ? focusCell : null,
    },
    palette.outline,
  );
  const weights = init && matrix && active !== null ? matrix.subarray(active * init.n, (active + 1) * init.n) : null;
  dom.strip.tint(weights, rows, palette.accent, hovered, pinned);
}

/** Sets the hovered query from the webview side and tells the host (once per change). */
function setHovered(query: number | null): void {
  if (query === hovered) return;
  hovered = query;
  // Tell the host first: the editor tint is the slower half of the round trip, so it should not wait for our repaint.
  const q = hovered ?? pinned;
  const key = `${q}|${q === pinned}|${viewKey(view)}`;
  if (key !== lastHoverSent) {
    lastHoverSent = key;
    vscode.postMessage({ type: 'hoverToken', query: q, view, pinned: q !== null && q === pinned });
  }
  refreshMarks();
}

function setPinned(query: number | null): void {
  pinned = query;
  saveState();
  refreshMarks();
  vscode.postMessage({ type: 'pinToken', query, view });
  announce(query === null ? 'Unpinned' : `Pinned ${tokenLabel(init!.tokens[query].text)}`);
}

function saveState(): void {
  if (init) vscode.setState({ analysisId: init.analysisId, view, pinned });
}

function announce(text: string): void {
  dom.liveRegion.textContent = text;
}

function cellText(cell: Cell): string {
  if (!init || !matrix) return '';
  const q = rows[cell.row];
  const k = rows[cell.col];
  return `${tokenLabel(init.tokens[q].text)} → ${tokenLabel(init.tokens[k].text)}: ${formatWeight(matrix[q * init.n + k])}`;
}

function wireControls(): void {
  const onSelect = () => {
    const next = viewFromSelects();
    if (viewKey(next) !== viewKey(view)) showView(next);
  };
  dom.layerSelect.addEventListener('change', onSelect);
  dom.headSelect.addEventListener('change', onSelect);
  dom.rerunButton.addEventListener('click', () => vscode.postMessage({ type: 'rerun' }));
  exported = (p: Promise<ExportResultMessage>) =>
    p
      .then((r) => {
        if (!('savedTo' in r) || !r.savedTo) return;
        announce(`Saved to ${r.savedTo}`);
        dom.status.textContent = `Saved to ${r.savedTo}`;
      })
      .catch((err: Error) => {
        dom.status.textContent = err.message;
        dom.status.classList.add('error');
      });
  dom.exportButtons.png.addEventListener('click', exportPng);
  for (const format of ['csv', 'json'] as const) {
    dom.exportButtons[format].addEventListener('click', () =>
      exported(requests.send((requestId) => vscode.postMessage({ type: 'exportData', requestId, format, view }), `Export ${format.toUpperCase()}`)),
    );
  }
}

/** Sends the heatmap as PNG to the host (button or the host's export command). */
function exportPng(): void {
  if (!matrix) return;
  void exported(requests.send((requestId) => vscode.postMessage({ type: 'exportImage', requestId, dataUrl: heatmap.toPng() }), 'Export image'));
}

function wirePointer(): void {
  let pending: PointerEvent | undefined;
  let frame = 0;
  // One hit-test per animation frame however fast the pointer moves.
  const onFrame = () => {
    frame = 0;
    const e = pending;
    if (!e || !init || !matrix) return;
    const box = dom.chartCanvas.getBoundingClientRect();
    const cell = cellAt(e.clientX - box.left, e.clientY - box.top, heatmap.area, rows.length, rows.length);
    if (!cell) {
      dom.tooltip.hidden = true;
      setHovered(null);
      return;
    }
    dom.tooltip.textContent = cellText(cell);
    dom.tooltip.hidden = false;
    const host = dom.heatmap.getBoundingClientRect();
    const x = e.clientX - host.left + 14;
    const y = e.clientY - host.top + 14;
    dom.tooltip.style.left = `${Math.min(x, host.width - dom.tooltip.offsetWidth - 4)}px`;
    dom.tooltip.style.top = `${Math.min(y, host.height - dom.tooltip.offsetHeight - 4)}px`;
    setHovered(rows[cell.row]);
  };
  dom.heatmap.addEventListener('pointermove', (e) => {
    pending = e;
    if (!frame) frame = requestAnimationFrame(onFrame);
  });
  dom.heatmap.addEventListener('pointerleave', () => {
    pending = undefined;
    dom.tooltip.hidden = true;
    setHovered(null);
  });
  dom.heatmap.addEventListener('click', (e) => {
    const box = dom.chartCanvas.getBoundingClientRect();
    const cell = cellAt(e.clientX - box.left, e.clientY - box.top, heatmap.area, rows.length, rows.length);
    if (!cell) return;
    focusCell = cell;
    const q = rows[cell.row];
    setPinned(pinned === q ? null : q);
  });
  const stripIndex = (e: Event) => {
    const t = (e.target as HTMLElement).closest<HTMLElement>('span.token');
    return t?.dataset.index === undefined ? null : Number(t.dataset.index);
  };
  // pointerover fires once per token entered, so it needs no frame throttling; answering at once saves up to a frame.
  dom.strip.element.addEventListener('pointerover', (e) => setHovered(stripIndex(e)));
  dom.strip.element.addEventListener('pointerleave', () => setHovered(null));
  dom.strip.element.addEventListener('click', (e) => {
    const q = stripIndex(e);
    if (q !== null) setPinned(pinned === q ? null : q);
  });
}

function wireKeyboard(): void {
  dom.heatmap.addEventListener('focus', () => refreshMarks());
  dom.heatmap.addEventListener('blur', () => refreshMarks());
  dom.heatmap.addEventListener('keydown', (e) => {
    if (!init || rows.length === 0) return;
    if (e.key === 'Escape') {
      if (pinned !== null) setPinned(null);
      e.preventDefault();
      return;
    }
    if (e.key === 'Enter' || e.key === ' ') {
      const q = rows[focusCell.row];
      setPinned(pinned === q ? null : q);
      e.preventDefault();
      return;
    }
    const next = moveCell(focusCell, e.key, rows.length, rows.length);
    if (!next) return;
    e.preventDefault();
    focusCell = next;
    setHovered(rows[next.row]);
    refreshMarks();
    announce(cellText(next));
  });
}
