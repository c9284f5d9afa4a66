// Which text Show Attention analyses when nothing is selected: the current line, else the visible lines. Pure.
import type { OffsetRange } from './trackedRange';

export interface LineInfo {
  /** Document offsets of the line without its line break. */
  start: number;
  end: number;
  text: string;
}

export type TargetChoice = { range: OffsetRange; reason: 'selection' | 'line' | 'visible' } | undefined;

/**
 * The selection when there is one; else the cursor's line (trimmed of surrounding whitespace); else, for a blank
 * line, the visible range. Undefined when all of it is blank.
 */
export function chooseTarget(selection: OffsetRange, line: LineInfo, visible: OffsetRange, visibleText: string): TargetChoice {
  if (selection.end > selection.start) return { range: selection, reason: 'selection' };
  const lead = line.text.length - line.text.trimStart().length;
  const trail = line.text.length - line.text.trimEnd().length;
  if (line.text.trim()) return { range: { start: line.start + lead, end: line.end - trail }, reason: 'line' };
  if (!visibleText.trim()) return undefined;
  const vLead = visibleText.length - visibleText.trimStart().length;
  const vTrail = visibleText.length - visibleText.trimEnd().length;
  return { range: { start: visible.start + vLead, end: visible.end - vTrail }, reason: 'visible' };
}
