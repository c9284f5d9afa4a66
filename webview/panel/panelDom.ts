// Builds the attention panel's DOM (the host's HTML only loads this script and the CSS under a strict CSP,
// so nothing here uses inline style attributes). Test hooks are stable data-testid attributes.
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { ColorLegend } from './colorLegend';
import { TokenStrip } from './tokenStrip';

export interface PanelDom {
  layerSelect: HTMLElement & { value: string };
  headSelect: HTMLElement & { value: string };
  modelLine: HTMLElement;
  staleBanner: HTMLElement;
  rerunButton: HTMLElement;
  status: HTMLElement;
  heatmap: HTMLElement;
  chartCanvas: HTMLCanvasElement;
  overlayCanvas: HTMLCanvasElement;
  tooltip: HTMLElement;
  legend: ColorLegend;
  viewLabel: HTMLElement;
  axisLabels: HTMLOListElement;
  strip: TokenStrip;
  liveRegion: HTMLElement;
  exportButtons: { png: HTMLElement; svg: HTMLElement; csv: HTMLElement; json: HTMLElement; html: HTMLElement };
  /** CSV/JSON of the current view or of every layer and head. */
  exportScope: HTMLElement & { value: string };
  /** Where the granularity/direction controls and the find box go. */
  readingSlot: HTMLElement;
  /** The minimap's place beside the heatmap. */
  minimapSlot: HTMLElement;
  /** The keyboard-focused cell's "query → key: weight", on screen. */
  focusValue: HTMLElement;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function button(label: string, icon: string, title: string, secondary = true): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  b.setAttribute('icon', icon);
  b.title = title;
  if (secondary) b.setAttribute('secondary', '');
  return b;
}

function select(testid: string, label: string): HTMLElement & { value: string } {
  const s = document.createElement('vscode-single-select') as HTMLElement & { value: string };
  s.dataset.testid = testid;
  s.setAttribute('aria-label', label);
  s.title = label;
  return s;
}

export function buildPanelDom(root: HTMLElement): PanelDom {
  const toolbar = el('header', 'toolbar');
  const layerSelect = select('layer-select', 'Layer');
  const headSelect = select('head-select', 'Head or aggregate over heads');
  const modelLine = el('span', 'model-line');
  modelLine.dataset.testid = 'model-line';
  const exportButtons = {
    png: button('PNG', 'file-media', 'Save the figure on screen (title, labels, colour bar) as a PNG image'),
    svg: button('SVG', 'file-code', 'Save the figure on screen as an SVG image'),
    csv: button('CSV', 'table', 'Save the data as CSV, with the source text, file, range and model'),
    json: button('JSON', 'json', 'Save the data as JSON, with the source text, file, range and model'),
    html: button('Report', 'globe', 'Save every layer and head as one offline, interactive HTML file'),
  };
  for (const [format, b] of Object.entries(exportButtons)) b.dataset.testid = `export-${format}`;
  const exportScope = select('export-scope', 'What CSV and JSON contain');
  setOptions(exportScope, [{ value: 'view', label: 'Data: this view' }, { value: 'all', label: 'Data: every layer and head' }], 'view');
  const exports = el('span', 'exports');
  exports.append(...Object.values(exportButtons), exportScope);
  const readingSlot = el('span', 'reading');
  toolbar.append(layerSelect, headSelect, readingSlot, modelLine, exports);

  const staleBanner = el('div', 'banner stale-banner');
  staleBanner.dataset.testid = 'stale-banner';
  staleBanner.setAttribute('role', 'status');
  staleBanner.hidden = true;
  const rerunButton = button('Re-run', 'refresh', 'Analyse the current text again', false);
  staleBanner.append(el('span', undefined, 'The text changed since this analysis ran.'), rerunButton);

  const status = el('div', 'status');
  status.dataset.testid = 'status';
  status.setAttribute('role', 'status');

  const heatmap = el('div', 'heatmap');
  heatmap.dataset.testid = 'heatmap';
  heatmap.tabIndex = 0;
  heatmap.setAttribute('role', 'grid');
  heatmap.setAttribute('aria-roledescription', 'attention heatmap');
  heatmap.setAttribute('aria-label', 'Attention heatmap: rows are query tokens, columns are key tokens. Arrow keys move, Enter pins a query, Escape unpins.');
  const chartCanvas = el('canvas', 'chart');
  const overlayCanvas = el('canvas', 'overlay');
  overlayCanvas.setAttribute('aria-hidden', 'true');
  const tooltip = el('div', 'tooltip');
  tooltip.hidden = true;
  tooltip.setAttribute('aria-hidden', 'true');
  heatmap.append(chartCanvas, overlayCanvas, tooltip);
  const minimapSlot = el('div', 'minimap-slot');
  const focusValue = el('div', 'focus-value');
  focusValue.dataset.testid = 'focus-value';
  focusValue.setAttribute('aria-hidden', 'true');

  const legend = new ColorLegend();
  const viewLabel = el('span', 'view-label');
  viewLabel.dataset.testid = 'view-label';
  legend.element.prepend(viewLabel);

  const axisLabels = el('ol', 'visually-hidden');
  axisLabels.dataset.testid = 'axis-labels';
  axisLabels.setAttribute('aria-label', 'Token labels in axis order');

  const strip = new TokenStrip();
  const liveRegion = el('div', 'visually-hidden');
  liveRegion.dataset.testid = 'live-region';
  liveRegion.setAttribute('aria-live', 'polite');

  const main = el('main', 'panel');
  const heatmapRow = el('div', 'heatmap-row');
  heatmapRow.append(heatmap, minimapSlot);
  main.append(toolbar, staleBanner, status, heatmapRow, focusValue, legend.element, axisLabels, strip.element, liveRegion);
  root.replaceChildren(main);
  return {
    layerSelect, headSelect, modelLine, staleBanner, rerunButton, status, heatmap, chartCanvas, overlayCanvas,
    tooltip, legend, viewLabel, axisLabels, strip, liveRegion, exportButtons, exportScope, readingSlot, minimapSlot, focusValue,
  };
}

/** Replaces a select's options; `selected` is the value to show. */
export function setOptions(select: HTMLElement & { value: string }, options: { value: string; label: string }[], selected: string): void {
  select.replaceChildren(
    ...options.map((o) => {
      const opt = document.createElement('vscode-option') as HTMLElement & { value: string };
      opt.setAttribute('value', o.value);
      opt.textContent = o.label;
      if (o.value === selected) opt.setAttribute('selected', '');
      return opt;
    }),
  );
  select.value = selected;
}
