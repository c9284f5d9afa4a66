// Entry of the side-panel webview view: the model in use, every layer × head of the current analysis as a
// thumbnail (rows = layers, columns = heads; click opens that head in the panel), and this window's analyses.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { SidePanelStateMessage, ThumbnailsMessage, ToWebviewMessage } from '../../shared/messages';
import { renderMatrixPixels, visibleMax } from '../common/matrixBitmap';
import { readPalette, watchTheme } from '../common/themePalette';
import { reportErrorsToHost, vscodeApi } from '../common/vscodeApi';
import { HeadFinderTable } from './headFinder';

const vscode = vscodeApi<never>();
reportErrorsToHost();

const root = document.getElementById('app') ?? document.body;
const main = document.createElement('main');
main.className = 'sidePanel';
const modelSection = section('Model');
const modelRow = document.createElement('div');
modelRow.className = 'model-row';
const modelName = document.createElement('span');
modelName.dataset.testid = 'model-name';
modelName.textContent = '…';
const switchButton = document.createElement('vscode-button');
switchButton.textContent = 'Switch model';
switchButton.setAttribute('icon', 'arrow-swap');
switchButton.setAttribute('secondary', '');
switchButton.dataset.testid = 'switch-model';
switchButton.addEventListener('click', () => vscode.postMessage({ type: 'selectModel' }));
modelRow.append(modelName, switchButton);
modelSection.append(modelRow);

const headsSection = section('Heads of the current analysis');
const grid = document.createElement('div');
grid.className = 'thumb-grid';
grid.setAttribute('role', 'group');
grid.setAttribute('aria-label', 'Attention of every layer and head; rows are layers, columns are heads');
headsSection.append(grid);
showEmptyGrid();

const finderSection = section('Head finder');
const headFinder = new HeadFinderTable((layer, head) => vscode.postMessage({ type: 'openHead', layer, head }));
finderSection.append(headFinder.element);

const recentSection = section('Recent analyses');
const recentList = document.createElement('ul');
recentList.className = 'recent';
recentList.dataset.testid = 'recent';
recentSection.append(recentList);

main.append(modelSection, headsSection, finderSection, recentSection);
root.replaceChildren(main);

let lastThumbnails: ThumbnailsMessage | undefined;
let lastState: SidePanelStateMessage | undefined;
watchTheme(() => lastThumbnails && renderThumbnails(lastThumbnails));
window.addEventListener('message', (e: MessageEvent<ToWebviewMessage>) => {
  const msg = e.data;
  if (msg.type === 'sidePanelState') renderState(msg);
  else if (msg.type === 'thumbnails') renderThumbnails(msg);
  // The host publishes the finder only for the current analysis (its state message may come just after).
  else if (msg.type === 'headFinder') headFinder.show(msg);
});
vscode.postMessage({ type: 'ready' });

function section(title: string): HTMLElement {
  const s = document.createElement('section');
  const h = document.createElement('h2');
  h.textContent = title;
  s.append(h);
  return s;
}

function showEmptyGrid(): void {
  const p = document.createElement('p');
  p.className = 'empty';
  p.textContent = 'Select text in an editor and run “Show Attention” to see every head here.';
  grid.style.gridTemplateColumns = '';
  grid.replaceChildren(p);
}

function renderState(msg: SidePanelStateMessage): void {
  lastState = msg;
  markShownHead();
  // Before a model loads, its name as the status bar says it; never a third wording.
  modelName.textContent = msg.model ? msg.model.name : `${msg.configuredModel ?? 'bundled model'} (not loaded yet)`;
  modelName.title = msg.model ? `${msg.model.layers} layers × ${msg.model.heads} heads${msg.model.causal ? ', causal' : ''}` : '';
  if (msg.currentAnalysisId === null) {
    lastThumbnails = undefined;
    showEmptyGrid();
    headFinder.clear();
  }
  if (msg.recent.length === 0) {
    const li = document.createElement('li');
    li.className = 'empty';
    li.textContent = 'No analyses in this window yet.';
    recentList.replaceChildren(li);
    return;
  }
  recentList.replaceChildren(
    ...msg.recent.map((r) => {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.dataset.analysisId = r.analysisId;
      if (r.analysisId === msg.currentAnalysisId) b.setAttribute('aria-current', 'true');
      const label = document.createElement('div');
      label.textContent = r.label;
      const meta = document.createElement('div');
      meta.className = 'meta';
      meta.textContent = `${r.modelName} · ${r.tokenCount} tokens · ${new Date(r.createdAt).toLocaleTimeString()}${r.cached ? '' : ' · runs again when opened'}`;
      b.append(label, meta);
      b.addEventListener('click', () => vscode.postMessage({ type: 'openAnalysis', analysisId: r.analysisId }));
      li.append(b);
      return li;
    }),
  );
}

/** Marks the thumbnail of the head the attention panel shows (outline and aria-current), unmarks the others. */
function markShownHead(): void {
  const shown = lastState?.shownHead;
  for (const b of grid.querySelectorAll<HTMLElement>('button.thumb')) {
    const on = !!shown && Number(b.dataset.layer) === shown.layer && Number(b.dataset.head) === shown.head;
    b.classList.toggle('shown', on);
    if (on) b.setAttribute('aria-current', 'true');
    else b.removeAttribute('aria-current');
  }
}

function renderThumbnails(msg: ThumbnailsMessage): void {
  const { layers, heads, size, data } = msg;
  if (data.length !== layers * heads * size * size || size <= 0) return;
  if (lastState?.currentAnalysisId && lastState.currentAnalysisId !== msg.analysisId) return;
  lastThumbnails = msg;
  const { lut } = readPalette('sqrt');
  const all = Array.from({ length: size }, (_, i) => i);
  const cells: HTMLElement[] = [corner()];
  for (let h = 0; h < heads; h++) cells.push(axis(`H${h + 1}`));
  const pixels = new Uint32Array(size * size);
  for (let l = 0; l < layers; l++) {
    cells.push(axis(`L${l + 1}`));
    for (let h = 0; h < heads; h++) {
      const m = data.subarray((l * heads + h) * size * size, (l * heads + h + 1) * size * size);
      // Each thumbnail is scaled to its own maximum: the grid compares patterns, not magnitudes.
      renderMatrixPixels(m, size, all, all, visibleMax(m, size, all, all), lut, pixels);
      cells.push(thumbnail(l, h, size, pixels));
    }
  }
  grid.style.gridTemplateColumns = `auto repeat(${heads}, minmax(12px, 1fr))`;
  grid.replaceChildren(...cells);
  markShownHead();
}

function corner(): HTMLElement {
  return document.createElement('span');
}

function axis(text: string): HTMLElement {
  const s = document.createElement('span');
  s.className = 'axis';
  s.textContent = text;
  s.setAttribute('aria-hidden', 'true');
  return s;
}

function thumbnail(layer: number, head: number, size: number, pixels: Uint32Array): HTMLElement {
  const b = document.createElement('button');
  b.className = 'thumb';
  b.dataset.testid = 'thumbnail';
  b.dataset.layer = String(layer);
  b.dataset.head = String(head);
  b.title = `Layer ${layer + 1} · Head ${head + 1}`;
  b.setAttribute('aria-label', `Open layer ${layer + 1}, head ${head + 1}`);
  const c = document.createElement('canvas');
  c.width = size;
  c.height = size;
  c.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(pixels.slice().buffer), size, size), 0, 0);
  b.append(c);
  b.addEventListener('click', () => vscode.postMessage({ type: 'openHead', layer, head }));
  return b;
}
