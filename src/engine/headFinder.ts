// The head finder's one call: analyse a text, run the repeated-tokens probe on causal models, score every head.
// The UI and the CLI both call this; the probe result is kept per engine because it does not depend on the text.
import type { AnalyzeOptions, AttentionEngine } from './analyze';
import { runRepeatProbe } from './headProbe';
import { HeadScoreRow, RepeatProbeScores, scoreHeads } from './headScores';
import type { AttentionResult } from './types';

export interface HeadFinderResult {
  result: AttentionResult;
  /** How the induction/duplicate probe ran; undefined when it does not apply (encoders). */
  probe?: { length: number; samples: number };
  heads: HeadScoreRow[];
}

const probes = new WeakMap<AttentionEngine, Promise<RepeatProbeScores | undefined>>();

/** The probe's scores for this engine, computed once. A cancelled or failed probe is not remembered. */
function probeFor(engine: AttentionEngine, signal?: AbortSignal): Promise<RepeatProbeScores | undefined> {
  let p = probes.get(engine);
  if (!p) {
    p = runRepeatProbe(engine, signal);
    probes.set(engine, p);
    p.catch(() => probes.delete(engine));
  }
  return p;
}

export async function findHeads(engine: AttentionEngine, text: string, opts: AnalyzeOptions = {}): Promise<HeadFinderResult> {
  const result = await engine.analyze(text, opts);
  const probe = await probeFor(engine, opts.signal);
  const heads = scoreHeads({ text: result.text, tokens: result.tokens, attention: result.attention, heads: result.model.heads }, probe);
  return { result, probe: probe && { length: probe.length, samples: probe.samples }, heads };
}
