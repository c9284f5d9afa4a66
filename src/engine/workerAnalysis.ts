// What the inference worker computes from a run's outputs before replying: value-norm attention, head scores, probe
// scores. Here, not on the host: they read every cell of L·H·N² attention, and the host thread must stay free.
import { repeatProbeScores, scoreHeads } from './headScores';
import { applyValueNorm } from './valueNorm';
import type { OutputTensor, RunAnalysis, RunExtras } from './workerProtocol';

function pick(outputs: OutputTensor[], names: string[]): Float32Array[] {
  const byName = new Map(outputs.map((o) => [o.name, o.data]));
  return names.map((name) => {
    const data = byName.get(name);
    if (!data) throw new Error(`${name} was not fetched`);
    return data;
  });
}

export function analyseOutputs(fetched: OutputTensor[], extras?: RunExtras): { outputs: OutputTensor[]; analysis?: RunAnalysis } {
  if (!extras) return { outputs: fetched };
  const analysis: RunAnalysis = {};
  let outputs = extras.valueNorm ? applyValueNorm(fetched, extras.valueNorm) : fetched;
  if (extras.headScores) {
    const { text, tokens, heads, attention } = extras.headScores;
    analysis.headScores = scoreHeads({ text, tokens, heads, attention: pick(outputs, attention) });
  }
  if (extras.repeatProbe) {
    const { heads, attention, prefix, length } = extras.repeatProbe;
    const layers = pick(outputs, attention);
    const n = Math.round(Math.sqrt((layers[0]?.length ?? 0) / heads));
    analysis.repeatProbe = repeatProbeScores(layers, heads, n, prefix, length);
    outputs = []; // the probe's attention is of no use to the host: keep it here
  }
  return { outputs, analysis };
}
