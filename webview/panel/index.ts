// Entry of the attention panel webview: builds the parts, wires host messages, controls, pointer and keyboard,
// then says `ready`. Drawing lives in heatmapChart/heatmapOverlay/tokenStrip; deciding what to show in
// matrixDisplay/marks; each message from the host has its handler in hostMessages.
import { viewKey } from '../../shared/matrixView';
import { Messenger } from '../../shared/messenger';
import type { FromWebviewMessage, HostRequests, PanelRequests, ToWebviewMessage } from '../../shared/messages';
import { readPalette, watchTheme } from '../common/themePalette';
import { reportErrorsToHost, vscodeApi } from '../common/vscodeApi';
import { renderPng, wireExportButtons } from './export';
import { HeatmapChart } from './heatmapChart';
import { HeatmapOverlay } from './heatmapOverlay';
import { onHostMessage } from './hostMessages';
import { wireKeyboard } from './keyboard';
import { refreshMarks, syncOverlaySize } from './marks';
import { MatrixCache } from './matrixCache';
import { afterPaint, setReading, setZoom, showView, viewFromSelects } from './matrixDisplay';
import { FindToken } from './findToken';
import { Minimap } from './minimap';
import { ReadingControls } from './readingControls';
import { refreshMarks as refresh } from './marks';
import { zoomToLabels, LABEL_PITCH } from './zoom';
import { buildPanelDom } from './panelDom';
import { wireLensTools } from './lensTools';
import { wirePointer } from './pointer';
import { initialState, type Panel, type SavedState } from './state';
import { PartsUi } from './targetStrip';

const api = vscodeApi<SavedState>();
reportErrorsToHost();
const dom = buildPanelDom(document.getElementById('app') ?? document.body);
const state = initialState(readPalette('linear'));
const panel: Panel = {
  state,
  dom,
  api,
  cache: new MatrixCache(),
  parts: new PartsUi(),
  heatmap: new HeatmapChart(dom.chartCanvas, state.palette, () => {
    syncOverlaySize(panel);
    refreshMarks(panel);
  }),
  overlay: new HeatmapOverlay(dom.overlayCanvas),
  reading: new ReadingControls((granularity, direction) => void setReading(panel, { granularity, direction })),
  // Find token: zoom in around the match until every label shows, focus its cell and hover its row.
  find: new FindToken((position) => {
    // Zooming in lengthens the labels and narrows the chart area: settle in a few steps until every label fits.
    for (let step = 0; step < 3; step++) {
      const extent = Math.min(panel.heatmap.area.width, panel.heatmap.area.height) || 600;
      const next = zoomToLabels(state.zoom, position, position, extent, LABEL_PITCH);
      if (next.size === state.zoom.size && next.row0 === state.zoom.row0 && next.col0 === state.zoom.col0) break;
      setZoom(panel, next);
    }
    state.focusCell = { row: position, col: position };
    state.hovered = state.rows[position] ?? null;
    refresh(panel);
  }),
  minimap: new Minimap((next) => setZoom(panel, next)),
  host: new Messenger<HostRequests, PanelRequests>({
    post: (envelope) => api.postMessage(envelope as FromWebviewMessage),
    // The host's only request is `renderPng` (Export Heatmap); a throw becomes its error reply.
    answer: () => renderPng(panel),
    peer: 'the extension',
  }),
};

panel.parts.attach(dom);
window.addEventListener('message', (e: MessageEvent<ToWebviewMessage>) => onHostMessage(panel, e.data));
watchTheme(() => {
  state.palette = readPalette(state.colorScale);
  panel.heatmap.setPalette(state.palette);
  // The minimap draws with the palette too.
  if (state.matrix) panel.minimap.paint(state.matrix, state.units.length, state.rows, state.palette.lut);
  afterPaint(panel);
});
const onSelect = () => {
  const next = viewFromSelects(panel);
  if (viewKey(next) !== viewKey(state.view)) showView(panel, next);
};
dom.layerSelect.addEventListener('change', onSelect);
dom.headSelect.addEventListener('change', onSelect);
panel.parts.partSelect.addEventListener('change', onSelect);
dom.rerunButton.addEventListener('click', () => api.postMessage({ type: 'rerun' }));
dom.readingSlot.append(panel.reading.element, panel.find.element);
dom.minimapSlot.append(panel.minimap.element);
dom.legend.element.after(panel.reading.mergeNote);
wireExportButtons(panel);
wirePointer(panel);
wireKeyboard(panel);
wireLensTools(panel);
api.postMessage({ type: 'ready' });
