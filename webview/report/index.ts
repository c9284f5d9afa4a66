// The offline HTML report's script (bundled to dist/report.js and inlined by src/export/htmlReport.ts): every layer ×
// head as a thumbnail, the chosen one large with a tooltip, and the source text tinted by the hovered row.
import { formatWeight } from '../../shared/formatWeight';
import { base64ToFloat32, type ReportData } from '../../shared/reportData';
import { buildRamp, buildScaledLut, cssColorOf, parseCssColor, type Rgba } from '../common/colorRamp';
import { renderMatrixPixels, visibleMax } from '../common/matrixBitmap';

const STYLE = `
body { font: 14px system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 16px; color: #111; background: #fff; }
h1 { font-size: 17px; margin: 0 0 2px; } .sub { margin: 0; color: #333; }
table.facts { border-collapse: collapse; margin: 10px 0; font-size: 12px; } .facts td { padding: 1px 10px 1px 0; vertical-align: top; word-break: break-all; }
.layout { display: flex; gap: 16px; align-items: flex-start; flex-wrap: wrap; }
.grid { display: grid; gap: 3px; } .grid button { padding: 0; border: 2px solid transparent; background: none; cursor: pointer; line-height: 0; }
.grid button[aria-pressed="true"] { border-color: #d33; } .grid button:focus-visible { outline: 2px solid #06c; }
.grid canvas { width: 40px; height: 40px; image-rendering: pixelated; }
.rowhead { font-size: 11px; color: #555; align-self: center; }
.main { position: relative; } .main canvas { width: 560px; height: 560px; image-rendering: pixelated; border: 1px solid #ccc; }
.tip { position: absolute; pointer-events: none; background: #222; color: #fff; padding: 2px 6px; font-size: 12px; border-radius: 3px; white-space: pre; }
pre.text { white-space: pre-wrap; max-width: 560px; font: 13px ui-monospace, Menlo, Consolas, monospace; border: 1px solid #ddd; padding: 8px; }
.note { font-size: 12px; color: #444; max-width: 900px; }
`;

const RAMP: Rgba[] = ['#f7fbff', '#c6dbef', '#6baed6', '#2171b5', '#08306b'].map((c) => parseCssColor(c)!);

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function paint(canvas: HTMLCanvasElement, matrix: Float32Array, size: number, lut: Uint32Array): void {
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d')!;
  const all = Array.from({ length: size }, (_, i) => i);
  const image = ctx.createImageData(size, size);
  renderMatrixPixels(matrix, size, all, all, visibleMax(matrix, size, all, all), lut, new Uint32Array(image.data.buffer));
  ctx.putImageData(image, 0, 0);
}

function main(): void {
  const data = JSON.parse(document.getElementById('report-data')!.textContent!) as ReportData;
  const values = base64ToFloat32(data.data);
  const { layers, heads, size } = data;
  const matrixOf = (l: number, h: number) => values.subarray((l * heads + h) * size * size, (l * heads + h + 1) * size * size);
  const lut = buildScaledLut(buildRamp(RAMP), 'sqrt');
  document.head.append(el('style', { textContent: STYLE }));

  const title = el('h1', { textContent: data.title[0] ?? 'Attention' });
  title.dataset.testid = 'report-title';
  const subs = data.title.slice(1).map((t) => el('p', { className: 'sub', textContent: t }));
  const facts = el('table', { className: 'facts' }, ...data.facts.map(([k, v]) => el('tr', {}, el('td', { textContent: k }), el('td', { textContent: v }))));
  const note = el('p', { className: 'note', textContent: data.pooledFrom ? `${data.note} Pooled: each cell averages blocks of about ${data.pooledFrom} rows and columns to keep this file small.` : data.note });

  const grid = el('div', { className: 'grid' });
  grid.style.gridTemplateColumns = `auto repeat(${heads}, auto)`;
  grid.setAttribute('role', 'group');
  grid.setAttribute('aria-label', 'Layers and heads');
  const buttons: HTMLButtonElement[] = [];
  for (let l = 0; l < layers; l++) {
    grid.append(el('span', { className: 'rowhead', textContent: `L${l + 1}` }));
    for (let h = 0; h < heads; h++) {
      const canvas = el('canvas');
      paint(canvas, matrixOf(l, h), size, lut);
      const b = el('button', { title: `Layer ${l + 1} · Head ${h + 1}` }, canvas);
      b.dataset.testid = 'thumbnail';
      b.dataset.layer = String(l);
      b.dataset.head = String(h);
      b.setAttribute('aria-label', `Layer ${l + 1}, head ${h + 1}`);
      b.addEventListener('click', () => show(l, h));
      buttons.push(b);
      grid.append(b);
    }
  }

  const big = el('canvas');
  big.dataset.testid = 'report-heatmap';
  const caption = el('p', { className: 'sub' });
  caption.dataset.testid = 'report-caption';
  const tip = el('div', { className: 'tip', hidden: true });
  tip.dataset.testid = 'report-tooltip';
  const mainBox = el('div', { className: 'main' }, caption, big, tip);
  const textBox = el('pre', { className: 'text' });
  const spans = data.ranges.map(([s, e], i) => ({ i, s, e }));
  renderText(null);

  let current = { l: 0, h: 0 };
  function show(l: number, h: number): void {
    current = { l, h };
    paint(big, matrixOf(l, h), size, lut);
    big.dataset.view = `L${l}H${h}`;
    caption.textContent = `Layer ${l + 1} · Head ${h + 1}`;
    buttons.forEach((b) => b.setAttribute('aria-pressed', String(Number(b.dataset.layer) === l && Number(b.dataset.head) === h)));
  }

  function renderText(row: number | null): void {
    const m = row === null ? null : matrixOf(current.l, current.h).subarray(row * size, (row + 1) * size);
    const max = m ? Math.max(...m) : 0;
    const parts: Node[] = [];
    let at = 0;
    for (const { i, s, e } of spans.filter((x) => x.e > x.s).sort((a, b) => a.s - b.s)) {
      if (s < at) continue;
      parts.push(document.createTextNode(data.text.slice(at, s)));
      const span = el('span', { textContent: data.text.slice(s, e) });
      if (m && max > 0) span.style.background = cssColorOf(lut, m[i] / max);
      if (i === row) span.style.outline = '2px solid #d33';
      parts.push(span);
      at = e;
    }
    parts.push(document.createTextNode(data.text.slice(at)));
    textBox.replaceChildren(...parts);
  }

  big.addEventListener('mousemove', (e) => {
    const r = big.getBoundingClientRect();
    const col = Math.floor(((e.clientX - r.left) / r.width) * size);
    const row = Math.floor(((e.clientY - r.top) / r.height) * size);
    if (row < 0 || col < 0 || row >= size || col >= size) return;
    const v = matrixOf(current.l, current.h)[row * size + col];
    tip.hidden = false;
    tip.textContent = `${data.labels[row]} → ${data.labels[col]}: ${formatWeight(v)}`;
    tip.style.left = `${e.clientX - mainBox.getBoundingClientRect().left + 12}px`;
    tip.style.top = `${e.clientY - mainBox.getBoundingClientRect().top + 12}px`;
    renderText(row);
  });
  big.addEventListener('mouseleave', () => {
    tip.hidden = true;
    renderText(null);
  });

  document.body.append(title, ...subs, facts, note, el('div', { className: 'layout' }, grid, mainBox, textBox));
  show(0, 0);
  document.body.dataset.ready = 'true';
}

main();
