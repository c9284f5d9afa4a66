// Usage → definition pairs for the head finder, from the language's own definition provider (Go to Definition):
// each identifier in the analysed text is looked up once; definitions outside the analysed text are dropped.
import * as vscode from 'vscode';
import type { AnalysisSession } from '../analysis/analysisSession';
import { identifierUsages, pairsFromDefinitions, type DefinitionPair } from '../analysis/definitionScore';
import type { OffsetRange } from '../analysis/trackedRange';

/** Lookups per analysis: each is a round trip to a language server. */
const MAX_LOOKUPS = 64;

export async function definitionPairsFor(session: AnalysisSession): Promise<{ pairs: DefinitionPair[] } | { reason: string }> {
  const uri = vscode.Uri.parse(session.documentUri);
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === session.documentUri);
  if (!doc) return { reason: 'the analysed document is not open, so no definition provider can be asked.' };
  if (session.stale) return { reason: 'the text changed since the analysis; re-run it to look definitions up.' };
  const tokenRanges = session.tokenRanges;
  const usages = identifierUsages(session.result.text.slice(0, session.result.coveredRange.end), tokenRanges, session.range.start, MAX_LOOKUPS);
  let answered = false;
  const definitions: (OffsetRange | undefined)[] = [];
  for (const u of usages) {
    const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[] | undefined>('vscode.executeDefinitionProvider', uri, doc.positionAt(u.offset));
    if (found?.length) answered = true;
    const target = found?.map(toTarget).find((t) => t.uri.toString() === session.documentUri);
    definitions.push(target ? { start: doc.offsetAt(target.range.start), end: doc.offsetAt(target.range.end) } : undefined);
  }
  if (!answered) return { reason: `no definition provider answered for this ${doc.languageId} file (install or enable its language extension).` };
  return { pairs: pairsFromDefinitions(usages.map((u) => u.token), definitions, tokenRanges) };
}

function toTarget(l: vscode.Location | vscode.LocationLink): { uri: vscode.Uri; range: vscode.Range } {
  return 'targetUri' in l ? { uri: l.targetUri, range: l.targetSelectionRange ?? l.targetRange } : { uri: l.uri, range: l.range };
}
