// Owns the current analysis: runs, re-runs and cancels it, restores it after a window reload, and says what it is
// doing through one state union and two events. It pushes to nobody: the panel, side panel, editor tints and
// status bar subscribe. Pure of `vscode`: documents, progress and messages come through the Workbench interface.
import { randomUUID } from 'crypto';
import type { AnalysisStatus } from '../../shared/messages';
import { Disposable } from '../common/disposable';
import { Emitter } from '../common/emitter';
import { describeError, isAttentionLensError } from '../engine/errors';
import { AnalysisSession, findNearest, type SessionResult } from './analysisSession';
import { analyzeOptionsOf, requestFor, type DecoderRequest } from './decoderRequest';
import { longWithDecoder, needsLongPath, tooLargeToHold } from './longSelection';
import { modelKeyOf, RecentAnalyses, type RecentStore } from './recentAnalyses';
import { analysisLabel } from '../../shared/graphemes';
import { positionIn } from '../export/exportMetadata';
import { hashText, type PanelRestoreStore } from './restoreStore';
import type { OffsetRange } from './trackedRange';
import type { AnalysedDocument, AnalysisEngine, EngineSource, Workbench } from './workbench';

/** What to analyse: a range of a document; a restored analysis keeps its id and must still hold the same text. */
export interface RunTarget {
  uri: string;
  range: OffsetRange;
  /** Restored after a reload: the analysis keeps this id (the panel's saved view and pin refer to it). */
  restoredId?: string;
  /** Restored after a reload: sha256 of the text that must still be there. */
  textHash?: string;
  /** What the decoder reads: an encoder–decoder's target (asked for when missing), a decoder-only continuation. */
  decoder?: DecoderRequest;
}

/** Where the analysis is. The shown analysis (`session`) is kept apart: a failed re-run leaves it on screen. */
export type AnalysisState =
  /** Nothing running; `session` (if any) is current. */
  | { kind: 'idle' }
  /** A panel came back after a window reload; its analysis waits for its document's tab, or Re-run. */
  | { kind: 'restorePending'; target: RunTarget; label: string }
  | { kind: 'running'; target: RunTarget; abort: AbortController; phase: 'loading' | 'running' }
  /** The last run failed: a re-run (or a model switch) retries `target`. */
  | { kind: 'failed'; target: RunTarget | undefined; message: string }
  | { kind: 'cancelled' };

export class AnalysisController extends Disposable {
  private _state: AnalysisState = { kind: 'idle' };
  private _session: AnalysisSession | undefined;
  /** While a restored analysis waits for its document's tab (see `restore`). */
  private waitingForTab: { dispose(): void } | undefined;
  readonly recent: RecentAnalyses;
  private readonly _onDidChangeState = this._register(new Emitter<AnalysisState>());
  /** The state changed (and with it `status`). */
  readonly onDidChangeState = this._onDidChangeState.event;
  private readonly _onDidChangeSession = this._register(new Emitter<AnalysisSession>());
  /** Another analysis is current (a new run, a re-run, a recent one re-opened). */
  readonly onDidChangeSession = this._onDidChangeSession.event;

  constructor(
    private readonly model: EngineSource,
    private readonly workbench: Workbench,
    private readonly restoreStore: PanelRestoreStore,
    /** Where the recent list is kept across reloads (a file-backed Memento); in memory only when absent. */
    recentStore?: RecentStore,
  ) {
    super();
    this.recent = new RecentAnalyses(recentStore, (e) => this.workbench.log.warn(`Could not keep the recent analyses for the next window: ${describeError(e)}`));
    this._register({ dispose: () => this.waitingForTab?.dispose() });
  }

  get state(): AnalysisState {
    return this._state;
  }

  /** The analysis shown now. */
  get session(): AnalysisSession | undefined {
    return this._session;
  }

  /** The state as every surface shows it. */
  get status(): AnalysisStatus {
    const s = this._state;
    const t = this.t;
    switch (s.kind) {
      case 'running':
        return { kind: s.phase };
      case 'failed':
        return { kind: 'error', message: s.message };
      case 'cancelled':
        return { kind: 'cancelled', message: t('Cancelled. Run Show Attention again when ready.') };
      case 'restorePending':
        return { kind: 'stale', message: t('This analysis ended with the last window. Open its file again or Re-run it to see it.') };
      case 'idle':
        if (!this._session) return { kind: 'idle' };
        return this._session.stale ? { kind: 'stale' } : { kind: 'ready' };
    }
  }

  /**
   * Analyses `range` of the document `uri` with the current model; `decoder`: a continuation to generate, or an
   * encoder–decoder's target (without one, the user is asked).
   */
  async analyze(uri: string, range: OffsetRange, decoder?: DecoderRequest): Promise<void> {
    const doc = await this.workbench.openDocument(uri);
    if (!doc) {
      this.workbench.warn(this.t('The analysed document is no longer available. Select text and run Show Attention again.'));
      return;
    }
    // The same text with the same model is still in memory: show it again instead of running the model. A decoder
    // request (a continuation or a target) always runs: the kept result may have read another one.
    const loaded = this.model.engineIfLoaded;
    const kept = !decoder && loaded ? this.recent.cached(uri, range, modelKeyOf(loaded.info)) : undefined;
    if (kept && !kept.decoder && !kept.stale && doc.getText(range) === kept.result.text && this._state.kind !== 'running') {
      this.show(kept);
      return;
    }
    await this.run(doc, { uri, range, decoder });
  }

  /** Re-run: the same range of the same document (moved and stretched by the edits since), with the current model. */
  async rerun(): Promise<void> {
    const target = this.rerunTarget();
    if (!target) {
      this.workbench.info(this.t('No analysis to re-run yet. Select text and run Show Attention.'));
      return;
    }
    const doc = await this.workbench.openDocument(target.uri);
    if (!doc) {
      this.workbench.warn(this.t('The analysed document is no longer available. Select text and run Show Attention again.'));
      return;
    }
    await this.run(doc, target);
  }

  /** Whether there is something a re-run would analyse (the model switch re-runs only then). */
  get canRerun(): boolean {
    return this.rerunTarget() !== undefined;
  }

  /** Stops the running analysis, if any (the panel was closed). */
  cancel(): void {
    if (this._state.kind === 'running') this._state.abort.abort();
  }

  /**
   * A panel came back after a window reload with the id its webview saved: bring its analysis back, at once when
   * the document is still open in a tab, else as soon as a tab shows it again, or on Re-run.
   */
  async restore(analysisId: string | undefined): Promise<void> {
    const persisted = analysisId ? this.restoreStore.get(analysisId) : undefined;
    this.workbench.log.info(`Restoring the attention panel: ${persisted ? `analysis of ${persisted.label}` : 'no analysis to bring back'}.`);
    if (!persisted) {
      this.setState({ kind: 'idle' });
      return;
    }
    const target: RunTarget = { uri: persisted.uri, range: { start: persisted.start, end: persisted.end }, restoredId: persisted.id, textHash: persisted.textHash, decoder: persisted.decoder };
    const pending: AnalysisState = { kind: 'restorePending', target, label: persisted.label };
    this.setState(pending);
    if (this.workbench.isOpenInTab(persisted.uri)) {
      await this.rerun();
      return;
    }
    // Not open (yet): the window may restore its tabs after the panel, or the user opens the file again later.
    this.waitingForTab = this.workbench.onDidShowInTab(persisted.uri, () => {
      if (this._state !== pending) return;
      // Once: more tab events can arrive while the document opens.
      this.waitingForTab?.dispose();
      this.waitingForTab = undefined;
      this.workbench.log.info(`${persisted.label} is open again: bringing its analysis back.`);
      void this.rerun();
    });
  }

  /** Shows an analysis from the recent list again: kept results at once (found again after edits), else a new run. */
  async openRecent(id: string): Promise<void> {
    const entry = this.recent.get(id);
    if (!entry) return;
    const doc = await this.workbench.openDocument(entry.documentUri);
    if (!doc) {
      this.workbench.warn(this.t('{0} is no longer available.', entry.info.label));
      return;
    }
    const kept = entry.session;
    // Edits since it was shown went untracked: find its text again before painting anything on it.
    const at = kept ? findNearest(doc.getText(), kept.documentText, kept.range.start) : undefined;
    if (kept && at !== undefined) {
      kept.relocate(at);
      this.show(kept);
      await this.workbench.revealRange?.(entry.documentUri, kept.range);
      return;
    }
    // Not in memory any more (pushed out, or from before a reload): reveal where it was, then run it again.
    await this.workbench.revealRange?.(entry.documentUri, kept?.range ?? entry.range);
    await this.run(doc, { uri: entry.documentUri, range: kept?.range ?? entry.range, decoder: kept?.decoder });
  }

  /** The editor saw the analysed text change, or change back. */
  staleChanged(session: AnalysisSession): void {
    if (session === this._session && this._state.kind === 'idle') this._onDidChangeState.fire(this._state);
  }

  private rerunTarget(): RunTarget | undefined {
    const s = this._state;
    if (s.kind === 'restorePending' || s.kind === 'running') return s.target;
    if (s.kind === 'failed' && s.target) return s.target;
    return this._session && { uri: this._session.documentUri, range: this._session.range, decoder: this._session.decoder };
  }

  private async run(doc: AnalysedDocument, target: RunTarget): Promise<void> {
    if (this._state.kind === 'running') this._state.abort.abort();
    const t = this.t;
    if (target.textHash !== undefined) {
      const { range } = target;
      if (range.end > doc.getText().length || hashText(doc.getText(range)) !== target.textHash) {
        this.setState({ kind: 'failed', target: undefined, message: t('The text analysed before the reload has changed. Select it and run Show Attention again.') });
        return;
      }
    }
    const abort = new AbortController();
    const running: AnalysisState = { kind: 'running', target, abort, phase: this.model.engineIfLoaded ? 'running' : 'loading' };
    this.setState(running);
    const text = doc.getText(target.range);
    let runTarget = target;
    try {
      const engine = await this.model.engine();
      if (abort.signal.aborted) return;
      const wanted = requestFor(engine.info, target.decoder);
      const decoder = wanted === 'ask' ? await this.workbench.askTarget(engine.info.name) : wanted;
      if (abort.signal.aborted) return;
      if (wanted === 'ask' && !decoder) {
        this.workbench.log.info('No target text chosen: analysis cancelled.');
        this.setState({ kind: 'cancelled' });
        return;
      }
      runTarget = { ...target, decoder };
      this.setState({ ...running, target: runTarget, phase: 'running' });
      const result = await this.workbench.withProgress(t('Attention Lens: running {0}…', engine.info.name), abort, () => this.analyzeText(engine, text, abort.signal, decoder));
      if (abort.signal.aborted) return;
      const ms = result.timings;
      const path = 'method' in result ? `, long path: ${result.method === 'replay' ? 'rows replayed from queries and keys' : `every matrix kept (${result.fallbackReason})`}` : '';
      this.workbench.log.info(
        `Analysed ${result.tokens.length} tokens of ${doc.fileName} with ${engine.info.name}: tokenize ${ms.tokenizeMs.toFixed(1)} ms, run ${ms.runMs.toFixed(1)} ms, total ${ms.totalMs.toFixed(1)} ms${result.truncated ? ' (truncated)' : ''}${path}${'target' in result && result.target ? `; target of ${result.target.tokens.length} tokens${result.target.generated ? ' (generated)' : ''}` : ''}`,
      );
      // A continuation follows only the analysed part of a cut selection: the session covers just that part.
      const range = 'continuation' in result && result.continuation ? { start: target.range.start, end: target.range.start + result.continuation.start } : target.range;
      const session = new AnalysisSession(target.restoredId ?? randomUUID(), target.uri, range, result, labelFor(doc, text), decoder);
      this.remember(session);
      this.show(session);
      // Memory, not the setting, cut the text: the engine's note says why; raising maxTokens would not help.
      if ('memoryLimitNote' in result && result.memoryLimitNote) this.workbench.info(result.memoryLimitNote);
      else if (result.truncated) {
        // Say where the cut fell and how much of the selection that is (the editor marks the same point).
        const cut = positionIn(doc.getText(), target.range.start + result.coveredRange.end);
        this.workbench.info(
          t(
            'The text is longer than {0} tokens: only the first part was analysed, up to line {1}, column {2} ({3} of {4} characters; see attentionLens.maxTokens).',
            result.tokens.length,
            cut.line,
            cut.column,
            result.coveredRange.end,
            result.text.length,
          ),
        );
      }
      if ('unknownTokensNote' in result && result.unknownTokensNote) this.workbench.info(result.unknownTokensNote);
    } catch (e) {
      // Superseded by a newer run (another Show Attention, a model switch): that run owns the state now.
      if (this.currentRun() !== abort) return;
      if (abort.signal.aborted || (isAttentionLensError(e) && e.code === 'CANCELLED')) {
        this.workbench.log.info('Analysis cancelled.');
        this.setState({ kind: 'cancelled' });
        return;
      }
      // A target that failed (too long, or a generation this export cannot do) is asked for again on Re-run.
      const retry = runTarget.decoder?.kind === 'continue' ? runTarget : { ...runTarget, decoder: undefined };
      this.setState({ kind: 'failed', target: retry, message: describeError(e) });
      this.workbench.reportError(e, t('Attention Lens could not analyse the text'));
    } finally {
      // Aborted without a newer run (the panel closed): nothing is running any more.
      if (this.currentRun() === abort) this.setState({ kind: 'cancelled' });
    }
  }

  /** The full result, or the long path's when whole matrices would pass the host's memory bound (longSelection.ts). */
  private async analyzeText(engine: AnalysisEngine, text: string, signal: AbortSignal, decoder: DecoderRequest | undefined): Promise<SessionResult> {
    const maxTokens = this.workbench.maxTokens();
    const n = this.model.longEngine && engine.tokenCount ? await engine.tokenCount(text, { maxTokens }) : 0;
    if (this.model.longEngine && needsLongPath(engine.info, n)) {
      // The long path holds queries and keys of one text: it has no decoder to read a target or a continuation.
      if (decoder) throw longWithDecoder(engine.info.name, n, decoder);
      const long = await this.model.longEngine();
      if (signal.aborted) throw new Error('cancelled');
      // Falling back would hold every matrix, the memory the long path exists to avoid.
      if (long.method === 'full') throw tooLargeToHold(engine.info, n, long.fallbackReason);
      return long.analyze(text, { signal, maxTokens });
    }
    return engine.analyze(text, { signal, maxTokens, ...analyzeOptionsOf(decoder) });
  }

  private readonly t = (message: string, ...args: (string | number)[]) => this.workbench.t(message, ...args);

  private currentRun(): AbortController | undefined {
    return this._state.kind === 'running' ? this._state.abort : undefined;
  }

  /** Makes `session` the current analysis. */
  private show(session: AnalysisSession): void {
    this._session = session;
    this.recent.add(session);
    this._state = { kind: 'idle' };
    this._onDidChangeSession.fire(session);
    this._onDidChangeState.fire(this._state);
  }

  private remember(session: AnalysisSession): void {
    try {
      this.restoreStore.remember({
        id: session.id,
        uri: session.documentUri,
        start: session.range.start,
        end: session.range.end,
        textHash: hashText(session.documentText),
        label: session.label,
        ...(session.decoder ? { decoder: session.decoder } : {}),
      });
    } catch (e) {
      this.workbench.log.warn(`Could not remember the analysis for a window reload: ${describeError(e)}`);
    }
  }

  private setState(state: AnalysisState): void {
    this.waitingForTab?.dispose();
    this.waitingForTab = undefined;
    this._state = state;
    this._onDidChangeState.fire(state);
  }
}

/** "main.ts: the quick brown…" for the panel title and the recent list; never splits a character. */
function labelFor(doc: AnalysedDocument, text: string): string {
  return analysisLabel(doc.fileName, text);
}
