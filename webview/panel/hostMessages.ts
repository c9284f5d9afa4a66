// What the panel does with each message from the host: one handler per message type.
import { viewFitsModel } from '../../shared/matrixView';
import type { AnalysisStatus, ToWebviewMessage } from '../../shared/messages';
import { fillSelects, headValue, readyText, relayout, setColorScale, setReading, showView } from './matrixDisplay';
import { lens } from './lensState';
import { refreshMarks } from './marks';
import type { Panel } from './state';
import { queryCount } from './partAxes';
import { focusSourceToken } from './stripTints';

type Handlers = { [T in ToWebviewMessage['type']]: (panel: Panel, message: Extract<ToWebviewMessage, { type: T }>) => void };

const STATUS_TEXT: Partial<Record<AnalysisStatus['kind'], string>> = {
  loading: 'Loading the model…',
  running: 'Running the model…',
};

const handlers: Handlers = {
  init(panel, msg) {
    const { state, dom } = panel;
    panel.host.cancelAll('a new analysis replaced this one');
    panel.cache.clear();
    panel.parts.reset();
    state.init = msg;
    state.hideSpecialTokens = msg.hideSpecialTokens;
    // A new analysis starts at token granularity (its groups are fetched again when another one is chosen).
    state.units = msg.tokens;
    state.reading = { granularity: 'tokens', direction: state.reading.direction };
    panel.reading.set('tokens', state.reading.direction);
    setColorScale(panel, msg.colorScale);
    // The host owns the view (it restores the saved one after a window reload); the pin is the webview's own.
    const saved = panel.api.getState();
    state.view = msg.view;
    state.pinned = saved?.analysisId === msg.analysisId && saved.pinned !== null && saved.pinned < queryCount(msg, msg.view) && (msg.view.part || (saved.reading?.granularity ?? 'tokens') === 'tokens') ? saved.pinned : null;
    state.hovered = null;
    state.matrix = undefined;
    state.longCell = undefined;
    state.longFigure = undefined;
    dom.staleBanner.hidden = !msg.stale;
    dom.status.textContent = readyText(panel);
    dom.modelLine.textContent = modelLine(msg);
    dom.heatmap.dataset.n = String(msg.n);
    fillSelects(panel);
    relayout(panel);
    showView(panel, state.view);
    // The same analysis after a reload of the webview: read it as before (granularity and direction).
    const reading = saved?.analysisId === msg.analysisId ? saved.reading : undefined;
    if (reading && (reading.granularity !== 'tokens' || reading.direction !== state.reading.direction)) {
      panel.reading.set(reading.granularity, reading.direction);
      void setReading(panel, reading);
    }
  },
  showView(panel, msg) {
    const init = panel.state.init;
    if (!init || !viewFitsModel(msg.view, init.model)) return;
    panel.dom.layerSelect.value = String(msg.view.layer ?? init.model.layers - 1);
    panel.dom.headSelect.value = headValue(msg.view);
    if (init.target) panel.parts.partSelect.value = msg.view.part ?? 'encoder';
    showView(panel, msg.view, false);
  },
  focusQuery(panel, msg) {
    // The host names a token; at a coarser granularity its word/identifier/line is the encoder's row.
    focusSourceToken(panel, msg.query);
  },
  status(panel, { status }) {
    const { dom } = panel;
    const failed = status.kind === 'error' || status.kind === 'cancelled' || (status.kind === 'stale' && status.message !== undefined);
    // The stale banner (with Re-run) shows for stale text and goes once the text is current again.
    if (status.kind === 'stale') dom.staleBanner.hidden = false;
    if (status.kind === 'ready') dom.staleBanner.hidden = true;
    dom.status.textContent =
      status.kind === 'error' || status.kind === 'cancelled' ? status.message
      : status.kind === 'stale' ? (status.message ?? readyText(panel))
      : status.kind === 'ready' ? readyText(panel)
      : status.kind === 'loading' || status.kind === 'running' ? STATUS_TEXT[status.kind]!
      : '';
    dom.status.classList.toggle('error', failed);
    dom.status.setAttribute('role', failed ? 'alert' : 'status');
  },
  settings(panel, msg) {
    panel.state.hideSpecialTokens = msg.hideSpecialTokens;
    setColorScale(panel, msg.colorScale);
    relayout(panel);
  },
  request(panel, msg) {
    void panel.host.receive(msg);
  },
  reply(panel, msg) {
    void panel.host.receive(msg);
  },
  // Side-panel messages: not for this webview.
  sidePanelState() {},
  thumbnails() {},
  headFinder() {},
  panelFeatures(_panel, msg) {
    lens.onFeatures?.(msg);
  },
};

export function onHostMessage(panel: Panel, message: ToWebviewMessage): void {
  const handle = handlers[message.type] as ((panel: Panel, message: ToWebviewMessage) => void) | undefined;
  handle?.(panel, message);
}

/** "model · 6 layers × 8 heads · 12 tokens", with the decoder's shape and the target's tokens for an encoder–decoder. */
function modelLine(msg: Extract<ToWebviewMessage, { type: 'init' }>): string {
  const { model, target, continuation } = msg;
  const decoder = model.decoder && target ? ` · decoder ${model.decoder.layers} layers × ${model.decoder.heads} heads · ${target.tokens.length} target tokens${target.generated ? ' (generated)' : ''}` : '';
  const generated = continuation ? ` (${msg.n - continuation.firstToken} generated)` : '';
  return `${model.name} · ${model.layers} layers × ${model.heads} heads · ${msg.n} tokens${generated}${decoder}`;
}
