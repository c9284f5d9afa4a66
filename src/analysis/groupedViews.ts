// An analysis at a granularity: its token groups, merged matrices and the row/column/span vectors the editor tints
// and the hover card show. Pure (no vscode): the language's identifier ranges are passed in.
import { groupIndexOfTokens, groupTokens, meanByGroup, mergeMatrix, sumByGroup, type Granularity, type TokenGroup, type WordPattern } from '../../shared/granularity';
import type { MatrixView } from '../../shared/matrixView';
import { attendedBy, attendsTo, type QueryDirection } from '../../shared/spanQueries';
import type { AttentionResult } from '../engine/types';
import type { AttentionViews } from './attentionViews';

export class GroupedViews {
  private readonly groupsByGranularity = new Map<Granularity, TokenGroup[]>();

  constructor(
    private readonly result: Pick<AttentionResult, 'text' | 'tokens' | 'coveredRange'>,
    /** Whole-matrix or long (replayed rows) views: both answer rows and matrices. */
    private readonly views: Pick<AttentionViews, 'n' | 'row' | 'matrixAsync'>,
    /** The language's identifier ranges in the analysed text (computed lazily: only `identifiers` needs them). */
    private readonly identifierSpans: () => WordPattern,
  ) {}

  groups(granularity: Granularity): TokenGroup[] {
    let groups = this.groupsByGranularity.get(granularity);
    if (!groups) {
      const text = this.result.text.slice(0, this.result.coveredRange.end);
      groups = groupTokens(text, this.result.tokens, granularity, granularity === 'identifiers' ? this.identifierSpans() : undefined);
      this.groupsByGranularity.set(granularity, groups);
    }
    return groups;
  }

  /** The G×G matrix of a view at a granularity (the token matrix itself at `tokens`). */
  async matrix(view: MatrixView, granularity: Granularity, signal?: AbortSignal): Promise<Float32Array> {
    const m = await this.views.matrixAsync(view, signal);
    return granularity === 'tokens' ? m : mergeMatrix(m, this.views.n, this.groups(granularity));
  }

  /**
   * What the editor tints for a query span of TOKENS in a direction, per token (length N): the span's merged row
   * (attends to) or column (attended by), spread back over each group's tokens so every token of a word shows its
   * word's weight.
   */
  async spanWeights(view: MatrixView, granularity: Granularity, span: readonly number[], direction: QueryDirection): Promise<Float32Array> {
    const n = this.views.n;
    const vector =
      direction === 'attendsTo'
        ? attendsTo((q) => this.views.row(view, q), n, span)
        : attendedBy(await this.views.matrixAsync(view), n, span);
    if (granularity === 'tokens') return vector;
    const groups = this.groups(granularity);
    // To a group = sum over its tokens; from a group = mean over its tokens.
    const perGroup = direction === 'attendsTo' ? sumByGroup(vector, groups) : meanByGroup(vector, groups);
    const groupOf = groupIndexOfTokens(groups, n);
    return Float32Array.from(groupOf, (g) => (g >= 0 ? perGroup[g] : 0));
  }

  /** The tokens of the groups a token belongs to (a hover on "##on" queries all of "fibonacci" at word granularity). */
  spanOfToken(token: number, granularity: Granularity): number[] {
    if (granularity === 'tokens') return [token];
    return this.groups(granularity).find((g) => g.tokens.includes(token))?.tokens ?? [token];
  }
}
