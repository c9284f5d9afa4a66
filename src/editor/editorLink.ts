// Links an analysis to the editor: tints for the hovered/pinned/cursor query, the hover card, and edit tracking.
// One session at a time; its document listeners are swapped with it, never piled up.
import { performance } from 'perf_hooks';
import * as vscode from 'vscode';
import { Disposable, SwappableDisposable } from '../common/disposable';
import { log } from '../common/log';
import { describeView, type MatrixView } from '../../shared/matrixView';
import type { DisplaySettings } from '../common/settings';
import { findNearest, type AnalysisSession } from '../analysis/analysisSession';
import { hoverMarkdown, topAttended } from './hoverCard';
import { PaintTimings } from './paintTimings';
import { TintDecorations } from './tintDecorations';
import type { OffsetRange } from '../analysis/trackedRange';
import { planPaint } from './weightBuckets';

interface QueryRef {
  query: number;
  view: MatrixView;
}

export interface EditorLinkEvents {
  /** The cursor or the mouse is on this token (null: left the analysed tokens): highlight its row. */
  focusQuery(query: number | null): void;
  /** The analysed text changed, or changed back. */
  staleChanged(session: AnalysisSession): void;
}

export class EditorLink extends Disposable {
  private session: AnalysisSession | undefined;
  private document: vscode.TextDocument | undefined;
  /** Editor ranges of the tokens, built once per token layout (edits before the range rebuild them). */
  private ranges: (vscode.Range | undefined)[] = [];
  private readonly rangeByOffsets = new Map<OffsetRange, vscode.Range>();
  private hovered: QueryRef | undefined;
  private pinned: QueryRef | undefined;
  private cursor: number | undefined;
  /** The panel's current view: what cursor tints and the hover card use. */
  private view: MatrixView = { layer: 0, aggregate: 'mean' };
  private readonly decorations = this._register(new TintDecorations());
  private readonly timings = new PaintTimings();
  private readonly sessionListeners = this._register(new SwappableDisposable());

  constructor(
    private readonly settings: () => DisplaySettings,
    private readonly events: EditorLinkEvents,
  ) {
    super();
    this._register(
      vscode.languages.registerHoverProvider({ scheme: '*' }, { provideHover: (doc, pos) => this.provideHover(doc, pos) }),
    );
  }

  /** Follows `session` in `document` from now on (undefined unbinds); the view stays what the panel shows. */
  bind(session: AnalysisSession | undefined, document: vscode.TextDocument | undefined): void {
    this.decorations.clear();
    this.session = session;
    this.document = document;
    this.hovered = this.pinned = undefined;
    this.cursor = undefined;
    this.rebuildRanges();
    if (!session || !document) {
      this.sessionListeners.set(undefined);
      return;
    }
    const uri = document.uri.toString();
    this.sessionListeners.set(
      vscode.Disposable.from(
        vscode.workspace.onDidChangeTextDocument((e) => {
          if (e.document.uri.toString() === uri && e.contentChanges.length) this.onDocumentChanged(e);
        }),
        vscode.window.onDidChangeTextEditorSelection((e) => {
          if (e.textEditor.document.uri.toString() === uri) this.onCursor(e.textEditor);
        }),
        vscode.window.onDidChangeVisibleTextEditors(() => this.repaint()),
        vscode.workspace.onDidCloseTextDocument((d) => {
          if (d.uri.toString() === uri) {
            this.decorations.clear();
            this.document = undefined;
          }
        }),
        // Reopened: it may hold other text now (edited on disk); tints only return where the analysed text still is.
        vscode.workspace.onDidOpenTextDocument((d) => {
          if (d.uri.toString() !== uri || this.document || this.session !== session) return;
          this.document = d;
          const wasStale = session.stale;
          const at = findNearest(d.getText(), session.result.text, session.range.start);
          if (at !== undefined) session.relocate(at);
          else if (!wasStale) session.markStale();
          this.rebuildRanges();
          if (wasStale !== session.stale) this.events.staleChanged(session);
        }),
      ),
    );
  }

  /** The panel switched layer/head: later tints and hover cards use this view; a pinned token is re-tinted with it. */
  setView(view: MatrixView): void {
    this.view = view;
    if (this.pinned) this.pinned = { query: this.pinned.query, view };
    this.repaint();
  }

  /** A token hovered in the webview (null: the mouse left it). */
  hover(query: number | null, view: MatrixView): void {
    this.hovered = query === null ? undefined : { query, view };
    this.repaint();
  }

  /** A token pinned in the webview (null unpins). */
  pin(query: number | null, view: MatrixView): void {
    this.pinned = query === null ? undefined : { query, view };
    this.repaint();
  }

  /** Clears every tint and forgets hover, pin and cursor (Clear Highlights). */
  clear(): void {
    this.hovered = this.pinned = undefined;
    this.cursor = undefined;
    this.decorations.clear();
  }

  /** Paints whatever has priority now: webview hover, then the editor cursor, then the pinned token. */
  repaint(): void {
    const session = this.session;
    const target = this.hovered ?? (this.cursor !== undefined ? { query: this.cursor, view: this.view } : this.pinned);
    if (!session || !this.document || session.stale || !target || target.query >= session.result.tokens.length || !session.views.fits(target.view)) {
      this.decorations.clear();
      return;
    }
    const editors = vscode.window.visibleTextEditors.filter((e) => e.document === this.document);
    if (!editors.length) return;
    const t0 = performance.now();
    const row = session.views.row(target.view, target.query);
    const plan = planPaint(row, session.tokenRanges, target.query, this.settings().colorScale);
    const toRange = (r: OffsetRange) => this.rangeByOffsets.get(r) ?? this.rangeOf(r);
    for (const editor of editors) this.decorations.paint(editor, plan, toRange);
    const ms = performance.now() - t0;
    const n = session.result.tokens.length;
    log().debug(`painted ${plan.painted} tokens in ${ms.toFixed(2)} ms (query ${target.query}, ${describeView(target.view)}, N=${n})`);
    const summary = this.timings.record(ms, n);
    if (summary) log().info(summary);
  }

  private rangeOf(r: OffsetRange): vscode.Range {
    const doc = this.document!;
    return new vscode.Range(doc.positionAt(r.start), doc.positionAt(r.end));
  }

  private rebuildRanges(): void {
    const { session, document } = this;
    this.rangeByOffsets.clear();
    this.ranges = session && document ? session.tokenRanges.map((r) => (r ? this.rangeOf(r) : undefined)) : [];
    session?.tokenRanges.forEach((r, i) => r && this.rangeByOffsets.set(r, this.ranges[i]!));
  }

  private onDocumentChanged(e: vscode.TextDocumentChangeEvent): void {
    const session = this.session;
    if (!session) return;
    const change = session.applyDocumentChanges(
      e.contentChanges.map((c) => ({ rangeOffset: c.rangeOffset, rangeLength: c.rangeLength, textLength: c.text.length })),
      (r) => e.document.getText(new vscode.Range(e.document.positionAt(r.start), e.document.positionAt(r.end))),
    );
    if (change.moved) {
      // Old decorations may now sit on other characters: drop them, rebuild positions, paint afresh.
      this.decorations.clear();
      this.cursor = undefined;
      this.rebuildRanges();
      this.repaint();
    }
    if (change.staleChanged) this.events.staleChanged(session);
  }

  private onCursor(editor: vscode.TextEditor): void {
    const session = this.session;
    if (!session || session.stale) return;
    const selection = editor.selection;
    const query = selection.isEmpty ? session.tokenAt(editor.document.offsetAt(selection.active)) : undefined;
    if (query === this.cursor) return;
    this.cursor = query;
    this.events.focusQuery(query ?? null);
    this.repaint();
  }

  private provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const session = this.session;
    if (!session || session.stale || document !== this.document) return undefined;
    const query = session.tokenAt(document.offsetAt(position));
    if (query === undefined) return undefined;
    if (query !== this.cursor) {
      this.cursor = query;
      this.events.focusQuery(query);
      this.repaint();
    }
    const { topTokensInHover, hideSpecialTokens } = this.settings();
    if (topTokensInHover === 0 || !session.views.fits(this.view)) return undefined;
    const row = session.views.row(this.view, query);
    const top = topAttended(row, session.result.tokens, topTokensInHover, hideSpecialTokens);
    const md = new vscode.MarkdownString(hoverMarkdown(describeView(this.view), session.result.tokens, query, top));
    md.isTrusted = false;
    md.supportHtml = false;
    return new vscode.Hover(md, this.ranges[query]);
  }
}
