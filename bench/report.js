// Turns the raw measurements into the numbers the targets are about, and those into markdown.
'use strict';

const MiB = 2 ** 20;
const TARGETS = { engineOverOrt: 1.2, torchOverEngine: 2, peakOverFile: 2 };

function maxAbsDiff(x, y) {
  if (!x || !y || x.length !== y.length) return null;
  return Math.max(...x.map((v, i) => Math.abs(v - y[i])));
}

function summarize(m, lengths, onnxBytes) {
  const perLength = {};
  for (const n of lengths) {
    const median = (x) => x.lengths[n].medianMs;
    const best = (x) => Math.min(...x.lengths[n].samplesMs);
    const [a, aNoPrepack, aWorker, b, c] = [m.ortUnpatched, m.ortNoPrepack, m.engineWorker, m.engine, m.torch].map(median);
    perLength[n] = {
      ortUnpatchedMs: a,
      ortUnpatchedNoPrepackMs: aNoPrepack,
      engineWorkerMs: aWorker,
      engineAnalyzeMs: b,
      engineInternal: m.engine.lengths[n].engineTimingsMedianMs,
      torchEagerMs: c,
      engineOverOrt: b / a,
      torchOverEngine: c / b,
      // Where b − a goes, step by step (differences of medians, so noisy on a shared machine).
      costsMs: { prepackingOff: aNoPrepack - a, patchedGraphAttentionOutputsAndWorker: aWorker - aNoPrepack, tokenizeAndAnalyze: b - aWorker },
      // Fastest run of each: less sensitive to other processes on a shared machine than the median.
      bestMs: { ortUnpatched: best(m.ortUnpatched), ortUnpatchedNoPrepack: best(m.ortNoPrepack), engineWorker: best(m.engineWorker), engineAnalyze: best(m.engine), torchEager: best(m.torch) },
    };
  }
  const fileMiB = onnxBytes / MiB;
  const peak = m.open.afterOpen.peakRssMB;
  const baseline = m.baseline.withOrtAndTokenizers.peakRssMB;
  const prototype = m.prototype && {
    perLength: Object.fromEntries(lengths.map((n) => [n, {
      engineAnalyzeMs: m.prototype.lengths[n].medianMs,
      engineOverOrt: m.prototype.lengths[n].medianMs / perLength[n].ortUnpatchedMs,
      torchOverEngine: perLength[n].torchEagerMs / m.prototype.lengths[n].medianMs,
    }])),
    peakAfterOpenMiB: m.prototypeOpen.afterOpen.peakRssMB,
    peakOverFile: m.prototypeOpen.afterOpen.peakRssMB / (onnxBytes / MiB),
    afterOpenAnonMiB: m.prototypeOpen.afterOpen.rssAnonMB,
    afterOpenFileMiB: m.prototypeOpen.afterOpen.rssFileMB,
    processPeakAfterRunsMiB: m.prototype.memoryEnd.peakRssMB,
  };
  return {
    perLength,
    prototypePrepackingOn: prototype,
    memory: {
      onnxFileMiB: fileMiB,
      baselineNodeWithOrtMiB: baseline,
      enginePeakAfterOpenMiB: peak,
      peakOverFile: peak / fileMiB,
      peakAboveBaselineOverFile: (peak - baseline) / fileMiB,
      ortUnpatchedPeakAfterCreateMiB: m.ortUnpatched.memoryAfterLoad.peakRssMB,
      ortUnpatchedNoPrepackPeakAfterCreateMiB: m.ortNoPrepack.memoryAfterLoad.peakRssMB,
      engineAfterOpenAnonMiB: m.open.afterOpen.rssAnonMB,
      engineAfterOpenFileMiB: m.open.afterOpen.rssFileMB,
      engineOpenEmptyCacheMs: m.open.openMs,
      engineOpenCachedMs: m.engine.openMs,
      engineProcessPeakAfterRunsMiB: m.engine.memoryEnd.peakRssMB,
    },
    agreement: {
      // Same weights, same input: PyTorch and onnxruntime must agree, or the comparison is meaningless.
      lastHiddenStateTorchVsOrt: maxAbsDiff(m.torch.check.lastHiddenStateHead, m.ortUnpatched.check.head),
      attentionTorchVsEngine: maxAbsDiff(m.torch.check.lastLayerHead0Row0, m.engine.check.lastLayerHead0Row0),
    },
    load1: Object.fromEntries(Object.entries(m).map(([k, v]) => [k, [v.load1Before, v.load1After]])),
  };
}

const ms = (v) => `${v.toFixed(v < 100 ? 1 : 0)} ms`;
const mib = (v) => `${v.toFixed(0)} MiB`;
const ratio = (v, limit, atMost) => `${v.toFixed(2)} ${(atMost ? v <= limit : v >= limit) ? '✓' : '✗'}`;

function markdownReport(r) {
  const s = r.summary;
  const lines = [
    `Model: bert-base shape (12 layers, 12 heads, hidden 768), ONNX file ${mib(s.memory.onnxFileMiB)}. ` +
      `Medians of ${r.runs} runs after ${r.warmups} warm-ups, batch 1. Threads: onnxruntime ${r.threads.onnxruntime}; PyTorch ${r.threads.pytorch}.`,
    '',
    '| tokens | (a) ORT run, unpatched | ORT run, unpatched, no prepacking | engine worker, 12 attentions | (b) engine.analyze | (c) PyTorch eager | b/a (≤ 1.2) | c/b (≥ 2) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [n, p] of Object.entries(s.perLength)) {
    lines.push(`| ${n} | ${ms(p.ortUnpatchedMs)} | ${ms(p.ortUnpatchedNoPrepackMs)} | ${ms(p.engineWorkerMs)} | ${ms(p.engineAnalyzeMs)} | ${ms(p.torchEagerMs)} | ` +
      `${ratio(p.engineOverOrt, TARGETS.engineOverOrt, true)} | ${ratio(p.torchOverEngine, TARGETS.torchOverEngine, false)} |`);
  }
  const signed = (v) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(0)} ms`;
  lines.push('', 'Where b − a goes (differences of medians): ' + Object.entries(s.perLength).map(([n, p]) =>
    `${n} tokens: prepacking off ${signed(p.costsMs.prepackingOff)}, patched graph + attention outputs + worker ${signed(p.costsMs.patchedGraphAttentionOutputsAndWorker)}, ` +
    `tokenize + analyze ${signed(p.costsMs.tokenizeAndAnalyze)}`).join('; ') + '.');
  lines.push(`Fastest run (ms): ${Object.entries(s.perLength).map(([n, p]) =>
    `${n} tokens ${Object.entries(p.bestMs).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}`).join('; ')}.`);
  const mem = s.memory;
  lines.push(
    '',
    '| model file | bare node + onnxruntime-node | (d) peak RSS, AttentionEngine.open, empty cache | d/file (≤ 2) | (d − bare)/file | ORT alone, unpatched: peak after create | same, no prepacking |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    `| ${mib(mem.onnxFileMiB)} | ${mib(mem.baselineNodeWithOrtMiB)} | ${mib(mem.enginePeakAfterOpenMiB)} | ` +
      `${ratio(mem.peakOverFile, TARGETS.peakOverFile, true)} | ${mem.peakAboveBaselineOverFile.toFixed(2)} | ${mib(mem.ortUnpatchedPeakAfterCreateMiB)} | ${mib(mem.ortUnpatchedNoPrepackPeakAfterCreateMiB)} |`,
    '',
    `Right after open the engine process holds ${mib(mem.engineAfterOpenAnonMiB)} of heap and ${mib(mem.engineAfterOpenFileMiB)} of file pages (mapped weights, shared with the page cache).`,
    `AttentionEngine.open: ${(mem.engineOpenEmptyCacheMs / 1000).toFixed(1)} s with an empty cache (hash, patch, load, probe run), ` +
      `${(mem.engineOpenCachedMs / 1000).toFixed(1)} s with the patched copy cached. ` +
      `Peak RSS of the engine process after all timed runs (result cache of 4 included): ${mib(mem.engineProcessPeakAfterRunsMiB)}.`,
    `Agreement on the same input: last_hidden_state PyTorch vs ORT max |Δ| = ${s.agreement.lastHiddenStateTorchVsOrt?.toExponential(1)}, ` +
      `attention PyTorch vs engine max |Δ| = ${s.agreement.attentionTorchVsEngine?.toExponential(1)}.`,
    ...prototypeLines(s, mem),
    `Load average (1 min) before/after each step: ${Object.entries(s.load1).map(([k, [b, a]]) => `${k} ${b}→${a}`).join(', ')}.`,
  );
  return lines.join('\n');
}

/** The engine with prepacking left on (see build-engine-bundle.js), next to the engine as it is. */
function prototypeLines(s, mem) {
  const p = s.prototypePrepackingOn;
  if (!p) return [];
  return [
    '',
    'Prototype, the engine with onnxruntime\'s weight prepacking left on (worker.ts minus `disable_prepacking`):',
    '',
    '| tokens | (b) engine.analyze | (b) with prepacking | b/a → | c/b → |',
    '|---:|---:|---:|---:|---:|',
    ...Object.entries(p.perLength).map(([n, q]) => `| ${n} | ${ms(s.perLength[n].engineAnalyzeMs)} | ${ms(q.engineAnalyzeMs)} | ` +
      `${s.perLength[n].engineOverOrt.toFixed(2)} → ${ratio(q.engineOverOrt, TARGETS.engineOverOrt, true)} | ` +
      `${s.perLength[n].torchOverEngine.toFixed(2)} → ${ratio(q.torchOverEngine, TARGETS.torchOverEngine, false)} |`),
    '',
    `With prepacking, peak RSS after open is ${mib(p.peakAfterOpenMiB)} (d/file ${ratio(p.peakOverFile, TARGETS.peakOverFile, true)}; ` +
      `${mib(p.afterOpenAnonMiB)} heap, ${mib(p.afterOpenFileMiB)} file pages) against ${mib(mem.enginePeakAfterOpenMiB)}; ` +
      `after the timed runs the process peaked at ${mib(p.processPeakAfterRunsMiB)} against ${mib(mem.engineProcessPeakAfterRunsMiB)}.`,
    '',
  ];
}

module.exports = { summarize, markdownReport };
