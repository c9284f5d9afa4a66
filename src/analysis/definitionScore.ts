// The editor-derived code-structure score: for each usage whose definition a definition provider found inside the
// analysed text, does the head's strongest key sit on that definition? Pure: the pairs come from the editor
// (src/editor/definitionPairs.ts), the attention from the analysis; L·H·pairs·N work, small next to the run.
import { argmaxRow, headMatrix } from '../engine/attention';
import type { AttentionResult } from '../engine/types';
import type { OffsetRange } from './trackedRange';

/** A usage token and the tokens of the definition the editor's definition provider points to. */
export interface DefinitionPair {
  usage: number;
  definition: Set<number>;
}

export const DEFINITION_DESCRIPTION =
  'share of identifier usages whose strongest key is on their definition, as the editor\'s definition provider reports it (Go to Definition)';

/** Share of pairs whose usage row puts its maximum on the definition's tokens, [layer][head]; null without pairs. */
export function definitionScores(result: AttentionResult, pairs: DefinitionPair[]): number[][] | null {
  if (pairs.length === 0) return null;
  const n = result.tokens.length;
  return result.attention.map((layer) =>
    Array.from({ length: result.model.heads }, (_, h) => {
      const m = headMatrix(layer, n, h);
      let hits = 0;
      for (const p of pairs) if (p.definition.has(argmaxRow(m, n, p.usage))) hits++;
      return hits / pairs.length;
    }),
  );
}

/**
 * Pairs from definition lookups: `usages` are token indices, `definitions[i]` the document range the provider gave
 * for usage i (undefined when it gave none or pointed elsewhere). Tokens are matched through `tokenRanges`
 * (document offsets per token, undefined for special tokens). A definition on the usage itself is no pair.
 */
export function pairsFromDefinitions(usages: number[], definitions: (OffsetRange | undefined)[], tokenRanges: readonly (OffsetRange | undefined)[]): DefinitionPair[] {
  const pairs: DefinitionPair[] = [];
  usages.forEach((usage, i) => {
    const def = definitions[i];
    if (!def) return;
    const definition = new Set<number>();
    tokenRanges.forEach((r, t) => {
      if (r && r.start < Math.max(def.end, def.start + 1) && r.end > def.start) definition.add(t);
    });
    if (definition.size > 0 && !definition.has(usage)) pairs.push({ usage, definition });
  });
  return pairs;
}

const IDENTIFIER = /[A-Za-z_$][\w$]*/g;

/**
 * Token indices where an identifier starts in `text` (the analysed text), at most `limit` of them, later occurrences
 * first preferred: the first occurrence of a name is most often its definition.
 */
export function identifierUsages(text: string, tokenRanges: readonly (OffsetRange | undefined)[], rangeStart: number, limit: number): { token: number; offset: number }[] {
  const seen = new Set<string>();
  const later: { token: number; offset: number }[] = [];
  const first: { token: number; offset: number }[] = [];
  for (const m of text.matchAll(IDENTIFIER)) {
    const offset = rangeStart + (m.index as number);
    const token = tokenRanges.findIndex((r) => r !== undefined && r.start <= offset && offset < r.end);
    if (token < 0) continue;
    (seen.has(m[0]) ? later : first).push({ token, offset });
    seen.add(m[0]);
  }
  return [...later, ...first].slice(0, limit);
}
