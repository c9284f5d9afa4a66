// "Find token": a search box over the axis labels; Enter (or the arrows) jumps to the next match, which the panel
// zooms to and focuses. Says how many matched and which one is shown.
import { findTokens } from './zoom';

export class FindToken {
  readonly element = document.createElement('div');
  private readonly input = document.createElement('input');
  private readonly count = document.createElement('span');
  private labels: readonly string[] = [];
  private matches: number[] = [];
  private current = -1;

  /** `onJump` gets a position in the label list (the visible tokens' order). */
  constructor(private readonly onJump: (position: number) => void) {
    this.element.className = 'find-token';
    this.input.type = 'search';
    this.input.placeholder = 'Find token';
    this.input.setAttribute('aria-label', 'Find a token in the heatmap (Enter: next match, Shift+Enter: previous)');
    this.input.dataset.testid = 'find-token';
    this.count.className = 'find-count';
    this.count.dataset.testid = 'find-count';
    this.count.setAttribute('aria-live', 'polite');
    this.element.append(this.input, this.count);
    this.input.addEventListener('input', () => this.search());
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        this.step(e.key === 'ArrowUp' || (e.key === 'Enter' && e.shiftKey) ? -1 : 1);
      } else if (e.key === 'Escape') {
        this.input.value = '';
        this.search();
      }
    });
  }

  /** New axis labels (another analysis, granularity or hideSpecial). */
  setLabels(labels: readonly string[]): void {
    this.labels = labels;
    this.search();
  }

  private search(): void {
    this.matches = findTokens(this.labels, this.input.value);
    this.current = -1;
    if (this.matches.length > 0) this.step(1);
    else this.count.textContent = this.input.value.trim() ? 'No match' : '';
  }

  private step(direction: 1 | -1): void {
    if (this.matches.length === 0) return;
    this.current = (this.current + direction + this.matches.length) % this.matches.length;
    this.count.textContent = `${this.current + 1} of ${this.matches.length}`;
    this.onJump(this.matches[this.current]);
  }
}
