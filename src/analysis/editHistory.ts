// Remembers, for each analysis that a re-run made after an edit, the analysis it replaced: the text before the edit.
// That pair is what "compare before / after the edit" shows. Pure: follows the controller's session event.
import { Disposable } from '../common/disposable';
import type { AnalysisSession } from './analysisSession';

export class EditHistory extends Disposable {
  private last: AnalysisSession | undefined;
  private readonly befores = new WeakMap<AnalysisSession, AnalysisSession>();

  constructor(onDidChangeSession: (listener: (session: AnalysisSession) => void) => { dispose(): void }) {
    super();
    this._register(onDidChangeSession((session) => this.follow(session)));
  }

  /** The analysis of the same stretch of the same document before its text was edited, if one was shown. */
  before(session: AnalysisSession): AnalysisSession | undefined {
    return this.befores.get(session);
  }

  private follow(session: AnalysisSession): void {
    const last = this.last;
    this.last = session;
    if (!last || last === session || this.befores.has(session)) return;
    const overlaps = last.range.start <= session.range.end && session.range.start <= last.range.end;
    if (last.documentUri === session.documentUri && overlaps && last.result.text !== session.result.text) this.befores.set(session, last);
  }
}
