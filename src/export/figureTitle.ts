// The first title lines of an exported figure: "fibonacci.py, lines 3–10" and "org/model @ revision". Pure.
import * as path from 'path';
import type { AttentionResult } from '../engine/types';
import { hubIdentity, positionIn } from './exportMetadata';
import type { SessionResult } from '../analysis/analysisSession';

export function figureTitleOf(documentPath: string, documentText: string | undefined, start: number, result: SessionResult): string[] {
  const file = path.basename(documentPath) || documentPath;
  let where = '';
  if (documentText !== undefined) {
    const first = positionIn(documentText, start).line;
    // A range ending right after a line break ends on the line before.
    const end = start + result.coveredRange.end;
    const last = positionIn(documentText, end > start && documentText[end - 1] === '\n' ? end - 1 : end).line;
    where = first === last ? `, line ${first}` : `, lines ${first}–${last}`;
  }
  const hub = hubIdentity(result.model.folder);
  const model = hub ? `${hub.id} @ ${hub.revision.slice(0, 12)}` : result.model.name;
  return [`${file}${where}${result.truncated ? ' (truncated)' : ''}`, model];
}
