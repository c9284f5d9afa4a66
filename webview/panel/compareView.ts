// Compare: two heads of this analysis side by side, or one head before vs after the last edit (the analysis the
// re-run replaced), each with a difference heatmap (after − before, blue = less, red = more) and, for the edit,
// every head ranked by mean Jensen–Shannon distance. Click a ranked head to show it.
import { describeView } from '../../shared/matrixView';
import type { CompareEditReply, CompareHeadsReply } from '../../shared/messages';
import { differencePixels, maxAbsDifference } from '../common/differencePixels';
import { renderMatrixPixels, visibleMax } from '../common/matrixBitmap';
import { showView } from './matrixDisplay';
import { saveState, type Panel } from './state';

type Mode = 'edit' | 'model' | 'heads';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

export class CompareView {
  readonly element = el('section', 'compare');
  private readonly mode = el('select');
  private readonly otherLayer = el('select');
  private readonly otherHead = el('select');
  private readonly run = el('button', undefined, 'Compare');
  private readonly status = el('p', 'compare-status');
  private readonly figures = el('div', 'compare-figures');
  private readonly ranking = el('ol', 'compare-ranking');
  private readonly notes = el('ul', 'notes');
  private requestId = 0;

  constructor(private readonly panel: Panel) {
    this.element.dataset.testid = 'compare';
    this.element.hidden = true;
    this.element.setAttribute('aria-label', 'Compare attention');
    this.mode.dataset.testid = 'compare-mode';
    this.mode.append(
      new Option('this head: before vs after the last edit', 'edit'),
      new Option('this head: this model vs the other model', 'model'),
      new Option('this head vs another head', 'heads'),
    );
    this.otherLayer.dataset.testid = 'compare-layer';
    this.otherHead.dataset.testid = 'compare-head';
    this.otherLayer.setAttribute('aria-label', 'Layer of the other head');
    this.otherHead.setAttribute('aria-label', 'The other head');
    this.run.dataset.testid = 'compare-run';
    this.status.dataset.testid = 'compare-status';
    this.status.setAttribute('role', 'status');
    this.ranking.dataset.testid = 'compare-ranking';
    const controls = el('div', 'compare-controls');
    controls.append(this.mode, this.otherLayer, this.otherHead, this.run);
    this.element.append(el('h2', undefined, 'Compare'), controls, this.status, this.figures, this.notes, this.ranking);
    this.mode.addEventListener('change', () => this.syncControls());
    this.run.addEventListener('click', () => void this.compare());
    this.syncControls();
  }

  toggle(): void {
    this.element.hidden = !this.element.hidden;
    if (!this.element.hidden) this.fillHeads();
  }

  /** A new analysis: old figures no longer apply. */
  reset(viewLabel: string): void {
    this.requestId++;
    this.figures.replaceChildren();
    this.ranking.replaceChildren();
    this.notes.replaceChildren();
    this.status.textContent = `Shown: ${viewLabel}.`;
    this.fillHeads();
  }

  private syncControls(): void {
    const heads = this.mode.value === 'heads';
    this.otherLayer.hidden = !heads;
    this.otherHead.hidden = !heads;
  }

  private fillHeads(): void {
    const init = this.panel.state.init;
    if (!init) return;
    const keep = (s: HTMLSelectElement, count: number, label: string) => {
      const was = s.value;
      s.replaceChildren(...Array.from({ length: count }, (_, i) => new Option(`${label} ${i + 1}`, String(i))));
      if (Number(was) < count) s.value = was;
    };
    keep(this.otherLayer, init.model.layers, 'Layer');
    keep(this.otherHead, init.model.heads, 'Head');
  }

  /** The head shown now (compare works on heads, not aggregates). */
  private currentHead(): { layer: number; head: number } | undefined {
    const v = this.panel.state.view;
    return 'head' in v ? { layer: v.layer, head: v.head } : undefined;
  }

  private async compare(): Promise<void> {
    const head = this.currentHead();
    if (!head) {
      this.status.textContent = 'Pick one head (not an aggregate) in the toolbar, then compare.';
      return;
    }
    const id = ++this.requestId;
    const mode = this.mode.value as Mode;
    this.status.textContent = 'Comparing…';
    this.element.setAttribute('aria-busy', 'true');
    try {
      if (mode === 'heads') {
        const other = { layer: Number(this.otherLayer.value) || 0, head: Number(this.otherHead.value) || 0 };
        const reply = await this.panel.host.request({ type: 'compareHeads', a: head, b: other }, 'Compare heads');
        if (id === this.requestId) this.showHeads(reply, describeView(head), describeView(other));
      } else {
        const reply = await this.panel.host.request({ type: mode === 'model' ? 'compareModel' : 'compareEdit', head }, 'Compare');
        if (id === this.requestId) this.showEdit(reply, describeView(head), mode === 'model');
      }
    } catch (e) {
      if (id !== this.requestId) return;
      this.status.textContent = (e as Error).message;
      this.figures.replaceChildren();
      this.ranking.replaceChildren();
    } finally {
      if (id === this.requestId) this.element.removeAttribute('aria-busy');
    }
  }

  private showHeads(reply: CompareHeadsReply, a: string, b: string): void {
    const distance = reply.distance === null ? 'no rows to compare' : reply.distance.toFixed(3);
    this.status.textContent = `${a} vs ${b}: mean Jensen–Shannon distance ${distance} (0 = identical, 1 = disjoint).`;
    this.element.dataset.distance = reply.distance === null ? '' : reply.distance.toFixed(6);
    this.showFigures(reply.n, [[a, reply.a], [b, reply.b]], reply.a, reply.b, `${b} − ${a}`);
    this.notes.replaceChildren();
    this.ranking.replaceChildren();
  }

  /** `models`: `before` is another model on the same text, not the text before an edit. */
  private showEdit(reply: CompareEditReply, head: string, models: boolean): void {
    const mine = reply.ranking.find((r) => `Layer ${r.layer + 1} · Head ${r.head + 1}` === head);
    const what = models ? `this model vs ${reply.beforeLabel}` : 'before vs after the edit';
    this.status.textContent = `${head}, ${what} (${reply.granularity} level): mean Jensen–Shannon distance ${mine?.distance?.toFixed(3) ?? '–'}.`;
    this.element.dataset.distance = mine?.distance?.toFixed(6) ?? '';
    const labels = models ? [reply.beforeLabel, 'This model', `This model − ${reply.beforeLabel}`] : ['Before the edit', 'After', 'After − before'];
    this.showFigures(reply.n, [[labels[0], reply.before], [labels[1], reply.after]], reply.before, reply.after, labels[2]);
    this.notes.replaceChildren(...reply.notes.map((n) => el('li', undefined, n)));
    const top = reply.ranking.slice(0, 12);
    this.ranking.replaceChildren(
      el('li', 'ranking-title', 'Heads that moved most (mean Jensen–Shannon distance):'),
      ...top.map((r) => {
        const li = el('li');
        const b = el('button', 'link-button', `Layer ${r.layer + 1} · Head ${r.head + 1}: ${r.distance === null ? '–' : r.distance.toFixed(3)}`);
        b.dataset.layer = String(r.layer);
        b.dataset.head = String(r.head);
        b.addEventListener('click', () => this.showHead(r.layer, r.head));
        li.append(b);
        return li;
      }),
    );
  }

  private showHead(layer: number, head: number): void {
    const { dom } = this.panel;
    dom.layerSelect.value = String(layer);
    dom.headSelect.value = String(head);
    showView(this.panel, { layer, head });
    saveState(this.panel);
  }

  private showFigures(n: number, pair: [string, Float32Array][], before: Float32Array, after: Float32Array, diffLabel: string): void {
    const { rows, palette } = this.panel.state;
    const visible = rows.filter((r) => r < n);
    const max = Math.max(...pair.map(([, m]) => visibleMax(m, n, visible, visible)));
    const figures = pair.map(([label, m]) => figure(label, visible.length, renderMatrixPixels(m, n, visible, visible, max, palette.lut)));
    const maxDiff = maxAbsDifference(after, before, n, visible);
    const diff = figure(`${diffLabel} (±${maxDiff.toFixed(3)}; blue less, red more)`, visible.length, differencePixels(after, before, n, visible, maxDiff, palette.background));
    diff.dataset.testid = 'difference-heatmap';
    diff.dataset.maxDifference = maxDiff.toFixed(6);
    this.figures.replaceChildren(...figures, diff);
  }
}

function figure(caption: string, size: number, pixels: Uint32Array): HTMLElement {
  const f = el('figure');
  const c = el('canvas');
  c.width = Math.max(1, size);
  c.height = Math.max(1, size);
  if (size > 0) c.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(pixels.slice().buffer), size, size), 0, 0);
  f.append(c, el('figcaption', undefined, caption));
  return f;
}
