// What the panel's lens tools ask of the host: value-norm matrices (one extra run in the worker, once per analysis),
// two heads side by side, and a head before vs after an edit with every head ranked by Jensen–Shannon distance.
// Pure of `vscode`.
import type { MatrixView } from '../../shared/matrixView';
import type { CompareEditReply, CompareEditRequest, CompareHeadsReply, CompareHeadsRequest, CompareModelRequest, PanelFeaturesMessage } from '../../shared/messages';
import { headMatrix, maxOfHeads, meanOfHeads } from '../engine/attention';
import type { AnalyzeOptions } from '../engine/analyze';
import { commonPieces, compareAttention, tokenRowsDistance, type Comparison } from '../engine/compare';
import type { AttentionResult } from '../engine/types';
import type { AnalysisSession } from './analysisSession';

export type ValueNormSupport = { available: true } | { available: false; reason: string };

export interface LensViewsDeps {
  /** Whether the model that ran `session` can give value-norm attention, and why not. */
  valueNormSupport(session: AnalysisSession): ValueNormSupport;
  /** engine.analyze(text, { weighting: 'value-norm' }) on that model. */
  analyzeValueNorm(text: string, opts: AnalyzeOptions): Promise<AttentionResult>;
  maxTokens(): number;
  /** The analysis this one replaced after an edit (EditHistory). */
  before(session: AnalysisSession): AnalysisSession | undefined;
  t(message: string, ...args: (string | number)[]): string;
}

type Head = { layer: number; head: number };

export class LensViews {
  private readonly valueNorm = new WeakMap<AnalysisSession, Promise<Float32Array[]>>();
  private readonly comparisons = new WeakMap<AttentionResult, Promise<Comparison>>();
  /** The same text under another model ("Compare With Another Model…"), per analysis. */
  private readonly otherModels = new WeakMap<AnalysisSession, { result: AttentionResult; label: string }>();

  constructor(private readonly deps: LensViewsDeps) {}

  features(session: AnalysisSession): PanelFeaturesMessage {
    return { type: 'panelFeatures', analysisId: session.id, valueNorm: this.deps.valueNormSupport(session) };
  }

  /** The value-norm matrix of a head, or the mean/max over a layer's heads; rollout is defined on the weights only. */
  async valueNormMatrix(session: AnalysisSession, view: MatrixView): Promise<Float32Array> {
    const { t } = this.deps;
    if (!('head' in view) && view.aggregate === 'rollout') throw new Error(t('Rollout is defined on the attention weights: pick a head, or the mean or max of a layer, for value-norm.'));
    const support = this.deps.valueNormSupport(session);
    if (!support.available) throw new Error(t('Value-norm attention is not available: {0}', support.reason));
    let layers = this.valueNorm.get(session);
    if (!layers) {
      layers = this.runValueNorm(session);
      this.valueNorm.set(session, layers);
      layers.catch(() => this.valueNorm.delete(session));
    }
    const layer = (await layers)[view.layer];
    const { n } = session.views;
    const heads = session.result.model.heads;
    if ('head' in view) return headMatrix(layer, n, view.head).slice();
    return view.aggregate === 'mean' ? meanOfHeads(layer, heads, n) : maxOfHeads(layer, heads, n);
  }

  /** Answers the panel's compare requests. */
  async compare(session: AnalysisSession, request: CompareHeadsRequest | CompareEditRequest | CompareModelRequest): Promise<CompareHeadsReply | CompareEditReply> {
    const { t } = this.deps;
    if (request.type === 'compareHeads') return this.compareHeads(session, request.a, request.b);
    if (request.type === 'compareEdit') {
      const before = this.deps.before(session);
      if (!before) throw new Error(t('No earlier analysis of this text: edit the analysed text, Re-run, then compare (the analysis before the edit is kept).'));
      return this.compareWith(session, { result: before.result, label: before.label }, request.head);
    }
    const other = this.otherModels.get(session);
    if (!other) throw new Error(t('No other model yet: run "Attention Lens: Compare With Another Model…" for this analysis first.'));
    return this.compareWith(session, other, request.head);
  }

  compareHeads(session: AnalysisSession, a: Head, b: Head): CompareHeadsReply {
    const { t } = this.deps;
    for (const h of [a, b]) if (!session.views.fits(h)) throw new Error(t('Layer {0} head {1} does not exist in this model.', h.layer + 1, h.head + 1));
    const { n } = session.views;
    const ma = headMatrix(session.result.attention[a.layer], n, a.head);
    const mb = headMatrix(session.result.attention[b.layer], n, b.head);
    return { n, a: ma.slice(), b: mb.slice(), distance: tokenRowsDistance(ma, mb, n) };
  }

  /** Keeps `result` (the same text under another model) for the panel's "this model vs …" comparison. */
  setOtherModel(session: AnalysisSession, result: AttentionResult, label: string): Promise<Comparison> {
    this.otherModels.set(session, { result, label });
    return this.ranking(session, result);
  }

  /** Every head ranked by how far `other` (earlier text or another model) is from this analysis, largest first. */
  ranking(session: AnalysisSession, other: AttentionResult): Promise<Comparison> {
    let comparison = this.comparisons.get(other);
    if (!comparison) {
      comparison = compareByLayer(other, session.result);
      this.comparisons.set(other, comparison);
    }
    return comparison;
  }

  private async compareWith(session: AnalysisSession, before: { result: AttentionResult; label: string }, head: Head): Promise<CompareEditReply> {
    const { t } = this.deps;
    if (!session.views.fits(head) || head.layer >= before.result.attention.length || head.head >= before.result.model.heads) {
      throw new Error(t('Layer {0} head {1} is not in both analyses.', head.layer + 1, head.head + 1));
    }
    const comparison = await this.ranking(session, before.result);
    const { n } = session.views;
    const ranking = [...comparison.heads].sort((x, y) => (y.distance ?? -1) - (x.distance ?? -1));
    return {
      beforeLabel: before.label,
      granularity: comparison.granularity,
      notes: comparison.notes,
      n,
      after: headMatrix(session.result.attention[head.layer], n, head.head).slice(),
      before: beforeOnCurrentTokens(before.result, session.result, head),
      ranking,
    };
  }

  private async runValueNorm(session: AnalysisSession): Promise<Float32Array[]> {
    const { result } = session;
    const vn = await this.deps.analyzeValueNorm(result.text, { weighting: 'value-norm', maxTokens: this.deps.maxTokens() });
    if (!vn.valueNormAttention || vn.tokens.length !== result.tokens.length) {
      throw new Error(this.deps.t('The token limit changed since this analysis ran: re-run it to see value-norm attention.'));
    }
    return vn.valueNormAttention;
  }
}

/**
 * compareAttention() one layer at a time, yielding to the event loop between layers: 144 heads at 512 tokens take
 * about 200 ms, too long to hold the extension host in one piece.
 */
export async function compareByLayer(a: AttentionResult, b: AttentionResult): Promise<Comparison> {
  const layers = Math.min(a.attention.length, b.attention.length);
  const heads: Comparison['heads'] = [];
  let last: Comparison | undefined;
  for (let l = 0; l < layers; l++) {
    await new Promise((resolve) => setImmediate(resolve));
    last = compareAttention({ ...a, attention: [a.attention[l]] }, { ...b, attention: [b.attention[l]] });
    heads.push(...last.heads.map((h) => ({ ...h, layer: l })));
  }
  const notes = (last?.notes ?? []).filter((n) => !/ layers × /.test(n));
  if (a.attention.length !== b.attention.length || a.model.heads !== b.model.heads) {
    notes.unshift(`${a.model.name} has ${a.attention.length} layers × ${a.model.heads} heads and ${b.model.name} ${b.attention.length} × ${b.model.heads}: compared the layers and heads both have, by index.`);
  }
  return { granularity: last?.granularity ?? 'token', heads, notes };
}

/**
 * The earlier analysis's head on the current analysis's tokens: each current token takes the earlier token that
 * covers the same unchanged characters (special tokens by their place at either end); NaN where there is none.
 */
export function beforeOnCurrentTokens(before: AttentionResult, after: AttentionResult, { layer, head }: Head): Float32Array {
  const na = before.tokens.length;
  const nb = after.tokens.length;
  const map = new Int32Array(nb).fill(-1);
  for (const p of commonPieces(before.text, before.tokens, after.tokens, after.text)) if (map[p.b] < 0) map[p.b] = p.a;
  const specialAt = (i: number, j: number) => {
    if (i >= 0 && j >= 0 && i < nb && j < na && after.tokens[i].special && before.tokens[j].special && after.tokens[i].text === before.tokens[j].text) map[i] = j;
  };
  for (let i = 0; i < nb && after.tokens[i].special; i++) specialAt(i, i);
  for (let i = 0; i < nb && after.tokens[nb - 1 - i].special; i++) specialAt(nb - 1 - i, na - 1 - i);
  const m = headMatrix(before.attention[layer], na, head);
  const out = new Float32Array(nb * nb);
  for (let q = 0; q < nb; q++) {
    for (let k = 0; k < nb; k++) out[q * nb + k] = map[q] < 0 || map[k] < 0 ? NaN : m[map[q] * na + map[k]];
  }
  return out;
}
