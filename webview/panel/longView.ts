// The heatmap of an analysis too long for whole matrices (more than PANEL_MATRIX_TOKENS tokens): the host's
// max-pooled overview of the shown view (each cell the largest weight of tile×tile tokens, so sharp heads stay
// visible), and once the zoom window is at most EXACT_WINDOW tokens a side, the exact tile of that window with token
// labels. The zoom stays in token positions, so a head switch keeps it. Nothing here ever holds N² values.
import { PANEL_MATRIX_TOKENS, TILE_MAX_SIDE, type OverviewReply, type TileReply } from '../../shared/longMessages';
import { describeView, viewKey, type MatrixView } from '../../shared/matrixView';
import { axisLabels } from '../common/tokenLabels';
import { refreshMarks, syncOverlaySize } from './marks';
import { effectiveGranularity, windowCols, windowRows, type Panel } from './state';

/** Windows of at most this many tokens a side are drawn from exact tiles (labels readable, ≤ 256 KiB a tile). */
export const EXACT_WINDOW = 256;
/** Overviews kept per analysis (256 KiB each at 256×256 cells): the views switched between most recently. */
const KEPT_OVERVIEWS = 64;

interface LongData {
  analysisId: string;
  overviews: Map<string, OverviewReply>;
  tile: TileReply | undefined;
  pending: Set<string>;
  minimapKey: string;
  /** The labels last given to the chart: a head switch keeps the window, so it keeps them too. */
  axesKey: string;
}

const data = new WeakMap<Panel, LongData>();

function dataOf(panel: Panel): LongData {
  const id = panel.state.init?.analysisId ?? '';
  let d = data.get(panel);
  if (!d || d.analysisId !== id) {
    d = { analysisId: id, overviews: new Map(), tile: undefined, pending: new Set(), minimapKey: '', axesKey: '' };
    data.set(panel, d);
  }
  return d;
}

/** True when the panel draws from overviews and tiles: a long analysis's own tokens (encoder, no grouping). */
export function isLongView(panel: Panel): boolean {
  const { init, view } = panel.state;
  return !!init && init.n > PANEL_MATRIX_TOKENS && !view.part && effectiveGranularity(panel.state) === 'tokens' && !(!('head' in view) && view.aggregate === 'rollout');
}

/** Shows `view`: its overview from the cache or the host, then paints (the zoom window is kept). */
export function showLongView(panel: Panel, view: MatrixView): void {
  const d = dataOf(panel);
  const key = viewKey(view);
  if (d.overviews.has(key)) {
    paintLong(panel);
    return;
  }
  panel.dom.heatmap.setAttribute('aria-busy', 'true');
  request(panel, d, `o|${key}`, () => panel.host.request({ type: 'requestOverview', view }, describeView(view)), (reply: OverviewReply) => {
    d.overviews.set(viewKey(reply.view), reply);
    for (const old of d.overviews.keys()) if (d.overviews.size > KEPT_OVERVIEWS) d.overviews.delete(old);
  });
}

function request<T>(panel: Panel, d: LongData, key: string, ask: () => Promise<T>, keep: (reply: T) => void): void {
  if (d.pending.has(key)) return;
  d.pending.add(key);
  ask()
    .then((reply) => {
      if (dataOf(panel) !== d) return;
      keep(reply);
      // Another granularity or part may be shown by now: it draws its own matrix.
      if (isLongView(panel)) paintLong(panel);
    })
    .catch((err: Error) => {
      panel.dom.status.textContent = err.message;
      panel.dom.status.classList.add('error');
    })
    .finally(() => d.pending.delete(key));
}

/** The exact window of the zoom: token ranges [start, end) covering its rows and columns. */
function exactWindow(rows: number[], cols: number[]) {
  return { queries: { start: rows[0], end: rows[rows.length - 1] + 1 }, keys: { start: cols[0], end: cols[cols.length - 1] + 1 } };
}

/**
 * The tile to ask for: the window widened on each side, centred, to TILE_MAX_SIDE tokens within the text, so pans
 * and small zooms inside it are drawn without asking the host again.
 */
function paddedWindow(w: ReturnType<typeof exactWindow>, n: number): ReturnType<typeof exactWindow> {
  const widen = ({ start, end }: { start: number; end: number }) => {
    const side = Math.min(n, Math.max(end - start, TILE_MAX_SIDE));
    const from = Math.max(0, Math.min(n - side, start - Math.floor((side - (end - start)) / 2)));
    return { start: from, end: from + side };
  };
  return { queries: widen(w.queries), keys: widen(w.keys) };
}

function covers(tile: TileReply | undefined, view: MatrixView, w: ReturnType<typeof exactWindow>): tile is TileReply {
  return !!tile && viewKey(tile.view) === viewKey(view) && tile.queries.start <= w.queries.start && tile.queries.end >= w.queries.end && tile.keys.start <= w.keys.start && tile.keys.end >= w.keys.end;
}

/** Paints the window: exact cells when it is small enough and its tile is here (else asks for it), pooled cells otherwise. */
export function paintLong(panel: Panel): void {
  const { state, dom, heatmap } = panel;
  if (!state.init) return;
  const d = dataOf(panel);
  const view = state.view;
  const rows = windowRows(state);
  const cols = windowCols(state);
  if (rows.length === 0 || cols.length === 0) return;
  const t0 = performance.now();
  const units = state.init.tokens;
  let pooledNote: string;
  if (rows.length <= EXACT_WINDOW && cols.length <= EXACT_WINDOW) {
    const w = exactWindow(rows, cols);
    if (!covers(d.tile, view, w)) {
      const ask = paddedWindow(w, state.init.n);
      const key = `t|${viewKey(view)}|${ask.queries.start},${ask.queries.end}|${ask.keys.start},${ask.keys.end}`;
      request(panel, d, key, () => panel.host.request({ type: 'requestTile', view, ...ask }, describeView(view)), (reply: TileReply) => (d.tile = reply));
      return;
    }
    const tile = d.tile;
    const width = tile.keys.end - tile.keys.start;
    setAxes(panel, d, `exact|${rows[0]},${rows.length}|${cols[0]},${cols.length}`, () => [axisLabels(units, rows), axisLabels(units, cols)]);
    const shown = { matrix: tile.data, n: width, rows: rows.map((q) => q - tile.queries.start), cols: cols.map((k) => k - tile.keys.start) };
    heatmap.show({ ...shown, bitmap: true });
    dom.heatmap.dataset.cells = 'exact';
    state.longCell = (q, k) => (q >= tile.queries.start && q < tile.queries.end && k >= tile.keys.start && k < tile.keys.end ? tile.data[(q - tile.queries.start) * width + k - tile.keys.start] : undefined);
    pooledNote = 'exact weights, one cell per token';
    state.longFigure = { ...shown, rowLabels: axisLabels(units, rows), colLabels: axisLabels(units, cols), note: pooledNote, pooled: false };
  } else {
    const o = d.overviews.get(viewKey(view));
    if (!o) {
      showLongView(panel, view);
      return;
    }
    const cellsOf = (axis: number[]) => [...new Set(axis.map((i) => Math.floor(i / o.tile)))];
    const cellRows = cellsOf(rows);
    const cellCols = cellsOf(cols);
    const label = (c: number) => `${(c * o.tile).toLocaleString('en-US')}–${(Math.min(o.n, (c + 1) * o.tile) - 1).toLocaleString('en-US')}`;
    setAxes(panel, d, `pooled|${o.tile}|${cellRows[0]},${cellRows.length}|${cellCols[0]},${cellCols.length}`, () => [cellRows.map(label), cellCols.map(label)]);
    heatmap.show({ matrix: o.data, n: o.cells, rows: cellRows, cols: cellCols, bitmap: true });
    dom.heatmap.dataset.cells = 'pooled';
    state.longCell = () => undefined;
    const pooling = o.pooling === 'max' ? `max of ${o.tile}×${o.tile} tokens per cell` : `mean over heads of each head's max of ${o.tile}×${o.tile} tokens per cell`;
    pooledNote = `pooled: ${pooling}; zoom to ${EXACT_WINDOW} tokens for exact weights`;
    // The figure's cells are labelled by the token range each covers (first–last token index).
    state.longFigure = { matrix: o.data, n: o.cells, rows: cellRows, cols: cellCols, rowLabels: cellRows.map(label), colLabels: cellCols.map(label), note: `pooled: ${pooling}`, pooled: true };
  }
  const o = d.overviews.get(viewKey(view));
  if (o && d.minimapKey !== viewKey(view)) {
    panel.minimap.paint(o.data, o.cells, Array.from({ length: o.cells }, (_, i) => i), state.palette.lut);
    d.minimapKey = viewKey(view);
  }
  // The pooled/exact note is part of the view label, beside the view it describes.
  dom.viewLabel.textContent = `${describeView(view)} · ${pooledNote}`;
  dom.heatmap.dataset.pooled = pooledNote;
  // A whole matrix shown later lays out its own labels again.
  state.axesKey = '';
  panel.minimap.show(state.zoom);
  dom.heatmap.removeAttribute('aria-busy');
  if (dom.status.classList.contains('error')) {
    dom.status.textContent = '';
    dom.status.classList.remove('error');
  }
  const area = heatmap.area;
  dom.heatmap.dataset.area = `${Math.round(area.width)}x${Math.round(area.height)}`;
  state.renderCount++;
  dom.heatmap.dataset.renderMs = (performance.now() - t0).toFixed(2);
  dom.heatmap.dataset.renderCount = String(state.renderCount);
  dom.heatmap.dataset.renderMode = heatmap.mode;
  dom.legend.update(state.palette.lut, heatmap.maxWeight, state.colorScale);
  syncOverlaySize(panel);
  refreshMarks(panel);
  for (const resolve of state.paintWaiters.splice(0)) resolve();
}

function setAxes(panel: Panel, d: LongData, key: string, labels: () => [string[], string[]]): void {
  if (key === d.axesKey && panel.state.axesKey === '') return;
  panel.heatmap.setAxes(...labels());
  d.axesKey = key;
}
