// Tints of the two token strips of an encoder–decoder analysis (and of the one strip otherwise). The active token
// (hovered, pinned, or under the editor cursor) tints the strip of the shown matrix's keys by its row, and the other
// text through the cross-attention: a target token by its row over the source, a source token by its column, i.e.
// by how much each target token looked at it.
import { crossViewFor, keySide, querySide, sourceViewFor, type TokenSide } from '../../shared/attentionParts';
import { viewKey, type MatrixView } from '../../shared/matrixView';
import { refreshMarks, setHovered, unitOfToken } from './marks';
import { colUnits, type Panel } from './state';

type Active = { side: TokenSide; index: number };

/** Repaints the tints and active/pinned marks of both strips. */
export function tintStrips(panel: Panel): void {
  const { state, dom, parts } = panel;
  const { init, hovered, pinned, view } = state;
  if (!init) return;
  const qSide = querySide(view);
  const q = hovered ?? pinned;
  const active: Active | null = parts.crossFocus ?? (q === null ? null : { side: qSide, index: q });
  const hoveredOn = (side: TokenSide) => (parts.crossFocus ? (parts.crossFocus.side === side ? parts.crossFocus.index : null) : qSide === side ? hovered : null);
  const accent = state.palette.accent;
  dom.strip.tint(active && weightsFor(panel, active, 'source'), parts.sourceVisible, accent, hoveredOn('source'), qSide === 'source' ? pinned : null);
  if (init.target) parts.targetStrip.tint(active && weightsFor(panel, active, 'target'), parts.targetVisible, accent, hoveredOn('target'), qSide === 'target' ? pinned : null);
}

/** The weights `active` gives the tokens of `side`: a row of the shown matrix, or a row/column of the cross-attention. */
function weightsFor(panel: Panel, active: Active, side: TokenSide): Float32Array | null {
  const { init, view, matrix } = panel.state;
  if (!init) return null;
  if (active.side === querySide(view) && side === keySide(view)) {
    const n = colUnits(panel.state).length;
    if (!matrix) return null;
    // The encoder read at a granularity and direction: attends to is the row, attended by the column.
    if (!view.part && panel.state.reading.direction === 'attendedBy') return Float32Array.from({ length: n }, (_, q) => matrix[q * n + active.index]);
    return matrix.subarray(active.index * n, (active.index + 1) * n);
  }
  if (active.side === side || !init.target) return null;
  const cross = crossMatrix(panel);
  if (!cross) return null;
  const t = init.target.tokens.length;
  const n = init.tokens.length;
  if (active.side === 'target') return sourceUnitsOf(panel, cross.subarray(active.index * n, (active.index + 1) * n));
  // A source row of the encoder at a coarser granularity is a group: its tokens' columns summed.
  const { units } = panel.state;
  const tokens = !view.part && units !== init.tokens ? init.tokens.map((_, k) => k).filter((k) => unitOfToken(panel, k) === active.index) : [active.index];
  const column = new Float32Array(t);
  for (let i = 0; i < t; i++) for (const k of tokens) column[i] += cross[i * n + k];
  return column;
}

/**
 * Weights over the source tokens as the source strip shows them: summed into its words/identifiers/lines while the
 * encoder is read at a coarser granularity (attention to a group is the sum over its tokens).
 */
function sourceUnitsOf(panel: Panel, weights: Float32Array): Float32Array {
  const { init, units, view } = panel.state;
  if (!init || view.part || units === init.tokens) return weights;
  const out = new Float32Array(units.length);
  weights.forEach((w, k) => {
    const u = unitOfToken(panel, k);
    if (u !== null) out[u] += w;
  });
  return out;
}

/** The cross-attention [target][source] that goes with the shown view: the shown matrix itself, or the one fetched. */
function crossMatrix(panel: Panel): Float32Array | undefined {
  const { init, view, matrix } = panel.state;
  if (view.part === 'cross') return matrix;
  const want = init && crossViewFor(view, init.model);
  return want && panel.parts.cross?.key === viewKey(want) ? panel.parts.cross.matrix : undefined;
}

/** Fetches the cross-attention that links the strips while the encoder or decoder is shown (a T×N matrix, small). */
export function ensureCross(panel: Panel): void {
  const { init, view } = panel.state;
  const want = init?.target && view.part !== 'cross' ? crossViewFor(view, init.model) : undefined;
  if (!init || !want) return;
  const key = viewKey(want);
  if (panel.parts.cross?.key === key) return;
  const cached = panel.cache.get(key);
  if (cached) {
    panel.parts.cross = { key, matrix: cached };
    return;
  }
  const analysisId = init.analysisId;
  panel.host
    .request({ type: 'requestMatrix', view: want, granularity: 'tokens' })
    .then((res) => {
      const now = panel.state.init;
      if (now?.analysisId !== analysisId || !now.target || res.n !== now.tokens.length || res.queries !== now.target.tokens.length || res.data.length !== res.n * res.queries) return;
      panel.cache.set(key, res.data);
      const still = crossViewFor(panel.state.view, now.model);
      if (still && viewKey(still) === key) {
        panel.parts.cross = { key, matrix: res.data };
        refreshMarks(panel);
      }
    })
    // The strip link is extra: the heatmap still works without it, and the reason goes to the log.
    .catch((err: Error) => panel.api.postMessage({ type: 'log', level: 'warn', message: `Cross-attention for the strips: ${err.message}` }));
}

/** The pointer entered (index) or left (null) a token of one strip. */
export function hoverStripToken(panel: Panel, side: TokenSide, index: number | null): void {
  if (side === querySide(panel.state.view)) {
    if (panel.parts.crossFocus) setCrossFocus(panel, null);
    setHovered(panel, index);
    return;
  }
  setCrossFocus(panel, index === null ? null : { side, index });
}

/** The editor cursor is on a source token (null: on none). */
export function focusSourceToken(panel: Panel, query: number | null): void {
  const { state, parts } = panel;
  const init = state.init;
  const index = query !== null && init && query < init.tokens.length ? query : null;
  // The host names a token; at a coarser granularity the encoder's row is its word/identifier/line.
  if (querySide(state.view) === 'source') state.hovered = index === null ? null : unitOfToken(panel, index);
  else parts.crossFocus = index === null ? null : { side: 'source', index };
  refreshMarks(panel);
}

/**
 * Focuses a token of the other text than the heatmap's rows and tells the host what to tint in the editor: a target
 * token's cross-attention over the source, a source token's own attention; on leaving, the pinned query again.
 */
function setCrossFocus(panel: Panel, focus: Active | null): void {
  const { state, parts } = panel;
  const init = state.init;
  if (!init) return;
  parts.crossFocus = focus;
  let query = state.hovered ?? state.pinned;
  let view: MatrixView = state.view;
  if (focus) {
    view = focus.side === 'target' ? (crossViewFor(state.view, init.model) ?? state.view) : sourceViewFor(state.view, init.model);
    // The host reads a source query at the panel's granularity: the hovered source token's word/identifier/line.
    query = focus.side === 'source' && state.reading.granularity !== 'tokens' ? unitOfToken(panel, focus.index) : focus.index;
  }
  const key = `${query}|${viewKey(view)}`;
  if (key !== state.lastHoverSent) {
    state.lastHoverSent = key;
    panel.api.postMessage({ type: 'hoverQuery', query, view, reading: state.reading });
  }
  refreshMarks(panel);
}
