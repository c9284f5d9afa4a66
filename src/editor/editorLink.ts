// Links an analysis to the editor: tints for the hovered/pinned/cursor query, the hover card, and edit tracking.
// One session at a time; its document listeners are swapped with it, never piled up.
import { performance } from 'perf_hooks';
import * as vscode from 'vscode';
import { Disposable, SwappableDisposable } from '../common/disposable';
import { log } from '../common/log';
import { describeView, type MatrixView } from '../../shared/matrixView';
import { editorViewFor, querySide, sourceViewFor } from '../../shared/attentionParts';
import type { DisplaySettings } from '../common/settings';
import { findNearest, type AnalysisSession } from '../analysis/analysisSession';
import { hoverMarkdown, topAttended } from './hoverCard';
import { PaintTimings } from './paintTimings';
import { TintDecorations } from './tintDecorations';
import type { OffsetRange } from '../analysis/trackedRange';
import { planPaint } from './weightBuckets';
import type { Reading } from '../../shared/messages';
import { tokensInSpan } from '../../shared/spanQueries';
import { analysisMarks } from './analysisMarks';
import { RangeMarkers } from './rangeMarkers';
import { languageWordSpans } from './wordSpans';
import { tintLegendMarkdown } from './tintLegend';
import { noteHeatmapHover } from '../commands/walkthrough';

/** A query: one token, or a span of tokens (a word, a line, an editor selection, an axis drag), in a view. */
interface QueryRef {
  span: number[];
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
  /** The panel's granularity and direction: every tint follows them. */
  private reading: Reading = { granularity: 'tokens', direction: 'attendsTo' };
  /** A selection inside the analysed range: its tokens are the query span. */
  private selectionSpan: number[] | undefined;
  /** Bumped on every repaint, so a slower (column) repaint never overwrites a newer one. */
  private paintGeneration = 0;
  private readonly decorations = this._register(new TintDecorations());
  private readonly markers = this._register(new RangeMarkers());
  private readonly timings = new PaintTimings();
  private readonly sessionListeners = this._register(new SwappableDisposable());

  constructor(
    private readonly settings: () => DisplaySettings,
    private readonly events: EditorLinkEvents,
    /** The eight tint colours (#rrggbbaa) of the active theme kind, for the hover card's legend. */
    private readonly tintColors: () => string[] = () => [],
  ) {
    super();
    this._register(
      vscode.languages.registerHoverProvider({ scheme: '*' }, { provideHover: (doc, pos) => this.provideHover(doc, pos) }),
    );
  }

  /** Follows `session` in `document` from now on (undefined unbinds); the view stays what the panel shows. */
  bind(session: AnalysisSession | undefined, document: vscode.TextDocument | undefined): void {
    this.decorations.clear();
    this.markers.clear();
    this.session = session;
    this.document = document;
    this.hovered = this.pinned = undefined;
    this.cursor = undefined;
    this.selectionSpan = undefined;
    this.rebuildRanges();
    if (!session || !document) {
      this.sessionListeners.set(undefined);
      return;
    }
    // Identifiers follow the language's own word definition.
    session.identifierSpans = () => (this.document ? languageWordSpans(this.document, session.range.start, session.range.end) : []);
    this.showMarkers();
    const uri = document.uri.toString();
    this.sessionListeners.set(
      vscode.Disposable.from(
        vscode.workspace.onDidChangeTextDocument((e) => {
          if (e.document.uri.toString() === uri && e.contentChanges.length) this.onDocumentChanged(e);
        }),
        vscode.window.onDidChangeTextEditorSelection((e) => {
          if (e.textEditor.document.uri.toString() === uri) this.onCursor(e.textEditor);
        }),
        vscode.window.onDidChangeVisibleTextEditors(() => {
          this.showMarkers();
          this.repaint();
        }),
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
          const at = findNearest(d.getText(), session.documentText, session.range.start);
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
    // A pinned target span means nothing in a view whose rows are source tokens (and the reverse): the pin goes.
    if (this.pinned) this.pinned = querySide(this.pinned.view) === querySide(view) ? { span: this.pinned.span, view } : undefined;
    this.repaint();
  }

  /** A row/column hovered in the webview at its granularity (null: the mouse left it). */
  hover(query: number | null, view: MatrixView, reading?: Reading): void {
    if (reading) this.reading = reading;
    if (query !== null) noteHeatmapHover();
    this.hovered = query === null ? undefined : this.refOf([query], view);
    this.repaint();
  }

  /** A row/column pinned in the webview (null unpins). */
  pin(query: number | null, view: MatrixView, reading?: Reading): void {
    if (reading) this.reading = reading;
    this.pinned = query === null ? undefined : this.refOf([query], view);
    this.repaint();
  }

  /** A span dragged along a heatmap axis, in rows/columns at the reading's granularity; it stays like a pin. */
  span(span: number[] | null, view: MatrixView, reading: Reading): void {
    this.reading = reading;
    this.pinned = span === null || span.length === 0 ? undefined : this.refOf(span, view);
    this.repaint();
  }

  /** Rows/columns at the current granularity → the tokens they hold. */
  private refOf(units: number[], view: MatrixView): QueryRef | undefined {
    const session = this.session;
    if (!session) return undefined;
    if (this.reading.granularity === 'tokens' || querySide(view) === 'target') return { span: units, view };
    const groups = session.grouped.groups(this.reading.granularity);
    return { span: units.flatMap((u) => groups[u]?.tokens ?? []), view };
  }

  /** Clears every tint and forgets hover, pin and cursor (Clear Highlights). */
  clear(): void {
    this.hovered = this.pinned = undefined;
    this.cursor = undefined;
    this.selectionSpan = undefined;
    this.decorations.clear();
  }

  /** Marks the analysed range (and where a truncated analysis stopped) in every editor of the document. */
  private showMarkers(): void {
    const { session, document } = this;
    if (!session || !document) return;
    const marks = analysisMarks(session.result, session.range.start);
    for (const editor of vscode.window.visibleTextEditors) if (editor.document === document) this.markers.show(editor, marks);
  }

  /**
   * Paints whatever has priority now: webview hover, then an editor selection inside the analysed text, then the
   * editor cursor, then the pinned row or span; at the panel's granularity and in its direction.
   */
  repaint(): void {
    const session = this.session;
    const model = session?.result.model;
    const generation = ++this.paintGeneration;
    const cursorRef = this.cursor !== undefined ? this.cursorRef(this.cursor) : undefined;
    const selectionRef = this.selectionSpan && model ? { span: this.selectionSpan, view: sourceViewFor(this.view, model) } : undefined;
    const chosen = this.hovered ?? selectionRef ?? cursorRef ?? this.pinned;
    // Only weights over the source tokens can be painted here: a decoder self-attention query shows its cross-attention.
    const target = chosen && model && { span: chosen.span, view: editorViewFor(chosen.view, model) };
    const queries = session && target && session.views.fits(target.view) ? session.views.shape(target.view).queries : 0;
    if (!session || !this.document || session.stale || !target || target.span.length === 0 || target.span.some((q) => q >= queries)) {
      this.decorations.clear();
      return;
    }
    const editors = vscode.window.visibleTextEditors.filter((e) => e.document === this.document);
    if (!editors.length) return;
    const t0 = performance.now();
    // Granularity and direction group the source text only; target (decoder) queries are the target's own tokens,
    // their cross-attention rows averaged over the span (the target has no editor to group words or lines by).
    const fromSource = querySide(target.view) === 'source';
    const granularity = fromSource ? this.reading.granularity : 'tokens';
    const direction = fromSource ? this.reading.direction : 'attendsTo';
    const n = session.result.tokens.length;
    const paint = (row: ArrayLike<number>) => {
      if (generation !== this.paintGeneration) return;
      const plan = planPaint(row, session.tokenRanges, fromSource ? target.span[0] : -1, this.settings().colorScale);
      if (fromSource) plan.outline = spanOutline(session.tokenRanges, target.span);
      const toRange = (r: OffsetRange) => this.rangeByOffsets.get(r) ?? this.rangeOf(r);
      for (const editor of editors) this.decorations.paint(editor, plan, toRange);
      const ms = performance.now() - t0;
      log().debug(`painted ${plan.painted} tokens in ${ms.toFixed(2)} ms (${target.span.length} queries, ${describeView(target.view)}, ${granularity}, ${direction}, N=${n})`);
      const summary = this.timings.record(ms, n);
      if (summary) log().info(summary);
    };
    // The common case (one token, its row) stays synchronous: hover → tint in one step.
    if (granularity === 'tokens' && direction === 'attendsTo' && target.span.length === 1) {
      paint(session.views.row(target.view, target.span[0]));
      return;
    }
    if (!fromSource) {
      const keys = session.views.shape(target.view).keys;
      const mean = new Float32Array(keys);
      for (const q of target.span) {
        const row = session.views.row(target.view, q);
        for (let k = 0; k < keys; k++) mean[k] += row[k] / target.span.length;
      }
      paint(mean);
      return;
    }
    session.grouped.spanWeights(target.view, granularity, target.span, direction).then(paint, (e) => log().warn(`Could not tint the editor: ${String(e)}`));
  }

  /** The cursor's token (a source token), widened to its word/identifier/line at a coarser granularity. */
  private cursorRef(token: number): QueryRef | undefined {
    const session = this.session;
    if (!session) return undefined;
    return { span: session.grouped.spanOfToken(token, this.reading.granularity), view: sourceViewFor(this.view, session.result.model) };
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
    const doc = editor.document;
    // A selection inside the analysed text is the query span (what it attends to, or what attends to it).
    const span = selection.isEmpty ? undefined : this.spanOfSelection(doc.offsetAt(selection.start), doc.offsetAt(selection.end));
    const query = selection.isEmpty ? session.tokenAt(doc.offsetAt(selection.active)) : undefined;
    const spanKey = span?.join(',');
    if (query === this.cursor && spanKey === this.selectionSpan?.join(',')) return;
    this.cursor = query;
    this.selectionSpan = span;
    this.events.focusQuery(query ?? null);
    this.repaint();
  }

  /** Tokens under a document selection, when it lies inside the analysed range; undefined otherwise. */
  private spanOfSelection(start: number, end: number): number[] | undefined {
    const session = this.session!;
    const { range } = session;
    if (start < range.start || end > range.end) return undefined;
    const tokens = tokensInSpan(session.result.tokens, start - range.start, end - range.start);
    return tokens.length > 0 ? tokens : undefined;
  }

  private async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const session = this.session;
    if (!session || session.stale || document !== this.document) return undefined;
    const query = session.tokenAt(document.offsetAt(position));
    if (query === undefined) return undefined;
    if (query !== this.cursor) {
      this.cursor = query;
      this.events.focusQuery(query);
      this.repaint();
    }
    const { topTokensInHover, hideSpecialTokens, colorScale } = this.settings();
    const view = sourceViewFor(this.view, session.result.model);
    if (topTokensInHover === 0 || !session.views.fits(view)) return undefined;
    const { granularity, direction } = this.reading;
    // At a coarser granularity the card lists words/identifiers/lines, with the merged weights the tints show.
    const units = granularity === 'tokens' ? session.result.tokens : session.grouped.groups(granularity);
    const span = session.grouped.spanOfToken(query, granularity);
    const perToken = granularity === 'tokens' && direction === 'attendsTo' ? session.views.row(view, query) : await session.grouped.spanWeights(view, granularity, span, direction);
    const row = granularity === 'tokens' ? perToken : Float32Array.from(session.grouped.groups(granularity), (g) => perToken[g.tokens[0]]);
    const unit = granularity === 'tokens' ? query : session.grouped.groups(granularity).findIndex((g) => g.tokens.includes(query));
    const top = topAttended(row, units, topTokensInHover, hideSpecialTokens);
    const label = `${describeView(view)}${granularity === 'tokens' ? '' : ` · ${granularity}`}${direction === 'attendedBy' ? ' · attended by' : ''}`;
    let text = hoverMarkdown(label, units, unit, top, direction === 'attendedBy');
    const colors = this.tintColors();
    if (colors.length > 0) {
      let max = 0;
      session.tokenRanges.forEach((r, k) => r && perToken[k] > max && (max = perToken[k]));
      text += `\n\n${tintLegendMarkdown(colors, max, colorScale)}`;
    }
    const md = new vscode.MarkdownString(text);
    md.isTrusted = false;
    // Only for the legend's colour swatches (<span style="background-color">); token text is escaped as code.
    md.supportHtml = colors.length > 0;
    return new vscode.Hover(md, this.ranges[query]);
  }
}

/** One outline around a query span (its first to its last token with text); undefined when none has text. */
function spanOutline(ranges: readonly (OffsetRange | undefined)[], span: readonly number[]): OffsetRange | undefined {
  let start = Infinity;
  let end = -Infinity;
  for (const q of span) {
    const r = ranges[q];
    if (!r) continue;
    start = Math.min(start, r.start);
    end = Math.max(end, r.end);
  }
  return end >= start ? { start, end } : undefined;
}
