// The analysed text as token spans, tinted by the attention the active (hovered or pinned) query pays to each
// key. Text between tokens (spaces, newlines) stays as plain text so the layout matches the source.
import type { WebviewToken } from '../../shared/messages';
import { tokenLabel } from '../common/tokenLabels';
import type { Rgba } from '../common/colorRamp';

export class TokenStrip {
  readonly element = document.createElement('div');
  private spans: (HTMLSpanElement | undefined)[] = [];
  private tinted: HTMLSpanElement[] = [];
  private marked: HTMLSpanElement[] = [];

  constructor() {
    this.element.className = 'token-strip';
    this.element.dataset.testid = 'token-strip';
    this.element.setAttribute('aria-label', 'Analysed text by token');
  }

  /** Rebuilds the strip; hidden special tokens get no span. */
  render(text: string, tokens: readonly WebviewToken[], visible: ReadonlySet<number>): void {
    const frag = document.createDocumentFragment();
    this.spans = new Array(tokens.length);
    this.tinted = [];
    this.marked = [];
    let cursor = 0;
    tokens.forEach((t, i) => {
      if (t.start > cursor) frag.append(text.slice(cursor, t.start));
      const from = Math.max(cursor, t.start);
      if (!visible.has(i)) {
        cursor = Math.max(cursor, t.end);
        return;
      }
      const span = document.createElement('span');
      span.className = 'token';
      span.dataset.index = String(i);
      const own = t.end > from ? text.slice(from, t.end) : '';
      if (t.special || own.length === 0) {
        // Special tokens and pieces sharing source characters with the previous token show their piece.
        span.classList.add(t.special ? 'special' : 'piece');
        span.textContent = tokenLabel(t.text);
      } else {
        span.textContent = own;
      }
      span.title = `#${i} ${tokenLabel(t.text)}`;
      this.spans[i] = span;
      frag.append(span);
      cursor = Math.max(cursor, t.end);
    });
    if (cursor < text.length) frag.append(text.slice(cursor));
    this.element.replaceChildren(frag);
  }

  /**
   * Tints key tokens by `weights[k]` relative to the largest among `keys` (null clears), and marks the
   * active and pinned query tokens.
   */
  tint(weights: Float32Array | null, keys: readonly number[], accent: Rgba, active: number | null, pinned: number | null): void {
    for (const s of this.tinted) s.style.backgroundColor = '';
    this.tinted = [];
    for (const s of this.marked) s.classList.remove('active', 'pinned');
    this.marked = [];
    if (weights) {
      let max = 0;
      for (const k of keys) if (weights[k] > max) max = weights[k];
      const [r, g, b] = accent;
      for (const k of keys) {
        const span = this.spans[k];
        if (!span || max <= 0) continue;
        const alpha = (0.85 * weights[k]) / max;
        if (alpha < 0.02) continue;
        span.style.backgroundColor = `rgba(${r}, ${g}, ${b}, ${alpha.toFixed(3)})`;
        this.tinted.push(span);
      }
    }
    this.mark(active, 'active');
    this.mark(pinned, 'pinned');
  }

  private mark(index: number | null, cls: string): void {
    const span = index === null ? undefined : this.spans[index];
    if (!span) return;
    span.classList.add(cls);
    this.marked.push(span);
  }
}
