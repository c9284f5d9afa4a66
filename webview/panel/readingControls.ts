// Toolbar controls for how attention is read: granularity (tokens, words, identifiers, lines) with the merge rule
// stated next to it, and the direction (what the query attends to, or what attends to it).
import { GRANULARITIES, GRANULARITY_LABELS, MERGE_RULE, type Granularity } from '../../shared/granularity';
import type { QueryDirection } from '../../shared/spanQueries';
import { setOptions } from './panelDom';

export const DIRECTION_LABELS: Record<QueryDirection, string> = {
  attendsTo: 'Attends to (row)',
  attendedBy: 'Attended by (column)',
};

export class ReadingControls {
  readonly element = document.createElement('span');
  readonly granularitySelect = document.createElement('vscode-single-select') as HTMLElement & { value: string };
  readonly directionSelect = document.createElement('vscode-single-select') as HTMLElement & { value: string };
  readonly mergeNote = document.createElement('span');

  constructor(onChange: (granularity: Granularity, direction: QueryDirection) => void) {
    this.element.className = 'reading-controls';
    this.granularitySelect.dataset.testid = 'granularity-select';
    this.granularitySelect.setAttribute('aria-label', 'Granularity');
    this.granularitySelect.title = `Granularity. ${MERGE_RULE}`;
    this.directionSelect.dataset.testid = 'direction-select';
    this.directionSelect.setAttribute('aria-label', 'Direction');
    this.directionSelect.title = 'Show what the query attends to (its row) or what attends to it (its column)';
    this.mergeNote.className = 'merge-note';
    this.mergeNote.dataset.testid = 'merge-note';
    setOptions(this.granularitySelect, GRANULARITIES.map((g) => ({ value: g, label: GRANULARITY_LABELS[g] })), 'tokens');
    setOptions(this.directionSelect, (Object.keys(DIRECTION_LABELS) as QueryDirection[]).map((d) => ({ value: d, label: DIRECTION_LABELS[d] })), 'attendsTo');
    this.element.append(this.granularitySelect, this.directionSelect);
    const changed = () => {
      const g = this.granularity;
      this.mergeNote.textContent = g === 'tokens' ? '' : MERGE_RULE;
      onChange(g, this.direction);
    };
    this.granularitySelect.addEventListener('change', changed);
    this.directionSelect.addEventListener('change', changed);
  }

  get granularity(): Granularity {
    const v = this.granularitySelect.value as Granularity;
    return GRANULARITIES.includes(v) ? v : 'tokens';
  }

  get direction(): QueryDirection {
    return this.directionSelect.value === 'attendedBy' ? 'attendedBy' : 'attendsTo';
  }

  /** Shows a restored choice without firing `change`. */
  set(granularity: Granularity, direction: QueryDirection): void {
    this.granularitySelect.value = granularity;
    this.directionSelect.value = direction;
    this.mergeNote.textContent = granularity === 'tokens' ? '' : MERGE_RULE;
  }
}
