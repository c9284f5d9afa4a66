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
    const [a, aWorker, b, c] = [m.ortUnpatched, m.engineWorker, m.engine, m.torch].map(median);
    const d = m.outputCost.lengths[n];
    perLength[n] = {
      ortUnpatchedMs: a,
      engineWorkerMs: aWorker,
      engineAnalyzeMs: b,
      engineInternal: m.engine.lengths[n].engineTimingsMedianMs,
      torchEagerMs: c,
      torchByIntraOpThreadsMs: Object.fromEntries(Object.entries(m.torch.lengths[n].byIntraOpThreads).map(([k, v]) => [k, v.medianMs])),
      engineOverOrt: b / a,
      torchOverEngine: c / b,
      // Fastest run of each: less sensitive to other processes on a shared machine than the median.
      bestMs: { ortUnpatched: best(m.ortUnpatched), engineWorker: best(m.engineWorker), engineAnalyze: best(m.engine), torchEager: best(m.torch) },
      // Interleaved in one process (attention-output-cost.js): what exposing attention costs, step by step.
      interleavedMs: Object.fromEntries(Object.entries(d).filter(([, v]) => v.medianMs !== undefined).map(([k, v]) => [k, v.medianMs])),
      attentionMiB: d.attentionMiB,
      // (e) engine-extras.js: head finder, value-norm and compare next to a plain analysis, interleaved.
      extrasMs: m.extras ? Object.fromEntries(Object.entries(m.extras.lengths[n]).map(([k, v]) => [k, v.medianMs])) : undefined,
    };
  }
  const fileMiB = onnxBytes / MiB;
  const peak = m.open.afterOpen.peakRssMB;
  const baseline = m.baseline.withOrtAndTokenizers.peakRssMB;
  return {
    perLength,
    memory: {
      onnxFileMiB: fileMiB,
      baselineNodeWithOrtMiB: baseline,
      enginePeakAfterOpenMiB: peak,
      peakOverFile: peak / fileMiB,
      peakAboveBaselineOverFile: (peak - baseline) / fileMiB,
      engineAfterOpenAnonMiB: m.open.afterOpen.rssAnonMB,
      engineAfterOpenFileMiB: m.open.afterOpen.rssFileMB,
      ortUnpatchedPeakAfterCreateMiB: m.ortUnpatched.memoryAfterLoad.peakRssMB,
      engineOpenEmptyCacheMs: m.open.openMs,
      engineOpenCachedMs: m.engine.openMs,
      engineProcessPeakAfterRunsMiB: m.engine.memoryEnd.peakRssMB,
    },
    agreement: {
      // Same weights, same input: PyTorch and onnxruntime must agree, or the comparison is meaningless.
      lastHiddenStateTorchVsOrt: maxAbsDiff(m.torch.check.lastHiddenStateHead, m.ortUnpatched.check.head),
      attentionTorchVsEngine: maxAbsDiff(m.torch.check.lastLayerHead0Row0, m.engine.check.lastLayerHead0Row0),
    },
    torch: { version: m.torch.torchVersion, threads: m.torch.threads, blas: m.torch.blas, env: m.torch.env },
    load1: Object.fromEntries(Object.entries(m).map(([k, v]) => [k, [v.load1Before, v.load1After]])),
  };
}

const ms = (v) => `${v.toFixed(v < 100 ? 1 : 0)} ms`;
const mib = (v) => `${v.toFixed(0)} MiB`;
const ratio = (v, limit, atMost) => `${v.toFixed(2)} ${(atMost ? v <= limit : v >= limit) ? '✓' : '✗'}`;

function timingTable(s) {
  const lines = [
    '| tokens | (a) ORT run(), unpatched | engine worker, 12 attentions | (b) engine.analyze() | (c) PyTorch eager, attentions | b/a (≤ 1.2) | c/b (≥ 2) |',
    '|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [n, p] of Object.entries(s.perLength)) {
    lines.push(`| ${n} | ${ms(p.ortUnpatchedMs)} | ${ms(p.engineWorkerMs)} | ${ms(p.engineAnalyzeMs)} | ${ms(p.torchEagerMs)} | ` +
      `${ratio(p.engineOverOrt, TARGETS.engineOverOrt, true)} | ${ratio(p.torchOverEngine, TARGETS.torchOverEngine, false)} |`);
  }
  lines.push('', `Fastest run: ${Object.entries(s.perLength).map(([n, p]) =>
    `${n} tokens a ${ms(p.bestMs.ortUnpatched)}, worker ${ms(p.bestMs.engineWorker)}, b ${ms(p.bestMs.engineAnalyze)}, c ${ms(p.bestMs.torchEager)}`).join('; ')}.`);
  return lines;
}

function diagnosisTable(s) {
  const lines = [
    'Where b − a goes, interleaved in one process (medians; same input for every variant):',
    '',
    '| tokens | attention size | unpatched | patched, last layer’s attention only | patched, 12 attentions fetched | patched, into preallocated tensors | JS alloc + copy of the attention |',
    '|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [n, p] of Object.entries(s.perLength)) {
    const i = p.interleavedMs;
    lines.push(`| ${n} | ${mib(p.attentionMiB)} | ${ms(i.unpatched)} | ${ms(i.patchedOneAttention)} | ${ms(i.patchedAttention)} | ${ms(i.patchedPreallocated)} | ${ms(i.jsAllocAndCopy)} |`);
  }
  return lines;
}

function memoryLines(s) {
  const mem = s.memory;
  return [
    '| model file | bare node + onnxruntime-node | (d) peak RSS after AttentionEngine.open, empty cache | d/file (≤ 2) | (d − bare)/file | ORT alone, unpatched, peak after create |',
    '|---:|---:|---:|---:|---:|---:|',
    `| ${mib(mem.onnxFileMiB)} | ${mib(mem.baselineNodeWithOrtMiB)} | ${mib(mem.enginePeakAfterOpenMiB)} | ` +
      `${ratio(mem.peakOverFile, TARGETS.peakOverFile, true)} | ${mem.peakAboveBaselineOverFile.toFixed(2)} | ${mib(mem.ortUnpatchedPeakAfterCreateMiB)} |`,
    '',
    `Right after open: ${mib(mem.engineAfterOpenAnonMiB)} heap, ${mib(mem.engineAfterOpenFileMiB)} file pages (mapped weights). ` +
      `AttentionEngine.open took ${(mem.engineOpenEmptyCacheMs / 1000).toFixed(1)} s with an empty cache (hash, patch, load, probe run), ` +
      `${(mem.engineOpenCachedMs / 1000).toFixed(1)} s with the patched copy cached. ` +
      `The (b) process peaked at ${mib(mem.engineProcessPeakAfterRunsMiB)} after its runs (attention arrays of recent runs awaiting garbage collection, plus the engine’s result cache of at most 256 MiB).`,
  ];
}

function extrasTable(s) {
  const rows = Object.entries(s.perLength).filter(([, p]) => p.extrasMs);
  if (!rows.length) return [];
  return [
    'Head finder, value-norm and compare (e), interleaved per text: scores and value-norm are computed in the worker; compare runs on the host.',
    '',
    '| tokens | analyze() | + headScores | + value-norm | compareAttention (host, token level) |',
    '|---:|---:|---:|---:|---:|',
    ...rows.map(([n, p]) => `| ${n} | ${ms(p.extrasMs.plain)} | ${ms(p.extrasMs.headScores)} | ${ms(p.extrasMs.valueNorm)} | ${ms(p.extrasMs.compareHost)} |`),
    '',
  ];
}

function markdownReport(r) {
  const s = r.summary;
  return [
    `Model: bert-base shape (12 layers, 12 heads, hidden 768, random weights), ONNX file ${mib(s.memory.onnxFileMiB)}. ` +
      `Medians of ${r.runs} runs after ${r.warmups} warm-ups, batch 1. Threads: onnxruntime ${r.threads.onnxruntime}; ` +
      `PyTorch ${s.torch.version} eager, torch.no_grad(), ${s.torch.threads} OpenBLAS threads (${s.torch.blas.find((b) => /openblas/.test(b)) ?? s.torch.blas[0] ?? 'unknown'}), ` +
      `intra-op (OpenMP) threads ${s.torch.threads} or 1, whichever was faster: ` +
      Object.entries(s.perLength).map(([n, p]) => `${n} tokens ${Object.entries(p.torchByIntraOpThreadsMs).map(([t, v]) => `${t} → ${ms(v)}`).join(', ')}`).join('; ') + '.',
    '',
    ...timingTable(s),
    '',
    ...diagnosisTable(s),
    '',
    ...memoryLines(s),
    '',
    ...extrasTable(s),
    `Agreement on the same input: last_hidden_state PyTorch vs ORT max |Δ| = ${s.agreement.lastHiddenStateTorchVsOrt?.toExponential(1)}, ` +
      `attention PyTorch vs engine max |Δ| = ${s.agreement.attentionTorchVsEngine?.toExponential(1)}.`,
    `Load average (1 min) before→after each step: ${Object.entries(s.load1).map(([k, [b, a]]) => `${k} ${b}→${a}`).join(', ')}.`,
  ].join('\n');
}

module.exports = { summarize, markdownReport };
