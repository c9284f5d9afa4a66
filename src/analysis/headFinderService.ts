// Scores every head of the current analysis for the side panel's head finder, after the panel has its first frame:
// the engine scores the text and runs the induction probe in its worker; the editor's definition provider adds the
// code-structure pairs. One run at a time; a newer analysis cancels the older run. Nothing runs until the side panel
// has been shown once in the window (the scores cost a second run in the worker). Pure of `vscode`.
import type { HeadFinderMessage } from '../../shared/messages';
import { Disposable } from '../common/disposable';
import { Emitter } from '../common/emitter';
import type { AnalyzeOptions } from '../engine/analyze';
import { describeError } from '../engine/errors';
import type { HeadFinderResult } from '../engine/headFinder';
import type { AnalysisSession } from './analysisSession';
import { definitionScores, type DefinitionPair } from './definitionScore';
import { headFinderMessage, headFinderStatus } from './headFinderTable';
import type { Logger } from './workbench';

export interface HeadFinderDeps {
  /** The session's analysis controller events. */
  onDidChangeSession(listener: (session: AnalysisSession) => void): { dispose(): void };
  /** findHeads() on the window's model (the same model that produced the session). */
  findHeads(text: string, opts: AnalyzeOptions): Promise<HeadFinderResult>;
  /** Usage → definition pairs from the editor, or a sentence saying why there are none. */
  definitionPairs(session: AnalysisSession): Promise<{ pairs: DefinitionPair[] } | { reason: string }>;
  maxTokens(): number;
  log: Logger;
}

export class HeadFinderService extends Disposable {
  private _current: HeadFinderMessage | undefined;
  private abort: AbortController | undefined;
  private active = false;
  private scored: AnalysisSession | undefined;
  private readonly _onDidChange = this._register(new Emitter<HeadFinderMessage>());
  /** The table (or its status) changed. */
  readonly onDidChange = this._onDidChange.event;

  constructor(private readonly deps: HeadFinderDeps) {
    super();
    this._register(deps.onDidChangeSession((session) => {
      if (this.active) void this.score(session);
    }));
    this._register({ dispose: () => this.abort?.abort() });
  }

  /** The last table or status, for a side panel that (re)loads. */
  get current(): HeadFinderMessage | undefined {
    return this._current;
  }

  /** The head finder is shown: score `current` (once) and every analysis from now on. */
  activate(current: AnalysisSession | undefined): void {
    this.active = true;
    if (current && current !== this.scored) void this.score(current);
  }

  /** Scores `session`'s heads; a later call supersedes this one. */
  async score(session: AnalysisSession): Promise<void> {
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    this.scored = session;
    this.publish(headFinderStatus(session.id, 'computing'));
    try {
      const found = await this.deps.findHeads(session.result.text, { signal: abort.signal, maxTokens: this.deps.maxTokens() });
      if (abort.signal.aborted) return;
      const { result } = found;
      if (result.model.onnxFile !== session.result.model.onnxFile || result.tokens.length !== session.result.tokens.length) {
        this.publish(headFinderStatus(session.id, 'error', 'The model or the token limit changed since this analysis ran: re-run it to score its heads.'));
        return;
      }
      const notes: string[] = [];
      if (found.probe) notes.push(`Induction and duplicate: ${found.probe.samples} random sequences of ${found.probe.length} tokens, each repeated twice.`);
      else notes.push('Induction and duplicate apply to causal (decoder) models only.');
      const defs = await this.deps.definitionPairs(session).catch((e): { reason: string } => ({ reason: `Definition lookup failed: ${describeError(e)}` }));
      if (abort.signal.aborted) return;
      let definitions: number[][] | null = null;
      if ('pairs' in defs) {
        // Off the render path: yield once so the panel's pending messages go first.
        await new Promise((resolve) => setImmediate(resolve));
        definitions = definitionScores(session.result, defs.pairs);
        notes.push(defs.pairs.length ? `Definitions: ${defs.pairs.length} usage → definition pairs from the editor's definition provider.` : 'Definitions: no usage in the text has its definition inside the analysed text.');
      } else {
        notes.push(`Definitions: ${defs.reason}`);
      }
      this.publish(headFinderMessage({ analysisId: session.id, heads: found.heads, definitions, notes }));
    } catch (e) {
      if (abort.signal.aborted) return;
      this.deps.log.warn(`Head finder: ${describeError(e)}`);
      this.publish(headFinderStatus(session.id, 'error', `The heads could not be scored: ${describeError(e)}`));
    } finally {
      if (this.abort === abort) this.abort = undefined;
    }
  }

  private publish(message: HeadFinderMessage): void {
    this._current = message;
    this._onDidChange.fire(message);
  }
}
