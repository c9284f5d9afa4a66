// The head finder's one call: analyse a text, run the repeated-tokens probe on causal models, score every head.
// The UI and the CLI both call this; the probe result is kept per engine because it does not depend on the text.
import type { AnalyzeOptions, AttentionEngine } from './analyze';
import { runRepeatProbe } from './headProbe';
import type { HeadScoreRow, RepeatProbeScores } from './headScores';
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

/**
 * Scores every head of `engine`'s model on `text`. The heavy parts run in the inference worker (the text's scores with
 * its run, the probe's with its own runs); the host only merges the rows. The UI calls this with the panel's text.
 */
export async function findHeads(engine: AttentionEngine, text: string, opts: AnalyzeOptions = {}): Promise<HeadFinderResult> {
  const result = await engine.analyze(text, { ...opts, headScores: true });
  const probe = await probeFor(engine, opts.signal);
  const heads = (result.headScores ?? []).map((row) => ({
    ...row,
    scores: { ...row.scores, induction: probe ? probe.induction[row.layer][row.head] : null, duplicate: probe ? probe.duplicate[row.layer][row.head] : null },
  }));
  return { result, probe: probe && { length: probe.length, samples: probe.samples }, heads };
}
