// Shared by the measurement processes: argument file in, result file out, medians, memory from /proc.
'use strict';
const fs = require('fs');

/** Each measurement runs as `node <script> <args.json>`; the args file names the result file too. */
function readArgs() {
  const file = process.argv[2];
  if (!file) throw new Error(`usage: node ${process.argv[1]} <args.json>`);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function writeResult(args, result) {
  fs.writeFileSync(args.outFile, JSON.stringify(result, null, 2));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * VmHWM (peak resident set) and VmRSS of this process in MiB, from /proc/self/status. The current RSS is split
 * into anonymous memory (heap) and file pages (mapped weights: page cache the kernel can drop and share).
 */
function memoryMB() {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)[1]);
  return { peakRssMB: kb('VmHWM') / 1024, rssMB: kb('VmRSS') / 1024, rssAnonMB: kb('RssAnon') / 1024, rssFileMB: kb('RssFile') / 1024 };
}

/** Runs `once` warmups + runs times and returns the timed samples in ms. */
async function timeRuns(warmups, runs, once) {
  for (let i = 0; i < warmups; i++) await once(i);
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await once(warmups + i);
    samples.push(performance.now() - t0);
  }
  return samples;
}

/** The bert-base bench model's inputs for one text, as onnxruntime tensors (int64, as the export declares). */
function bertFeeds(ids) {
  const ort = require('onnxruntime-node');
  const n = ids.length;
  const dims = [1, n];
  return {
    input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), dims),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(n).fill(1n), dims),
    token_type_ids: new ort.Tensor('int64', new BigInt64Array(n), dims),
  };
}

module.exports = { readArgs, writeResult, median, memoryMB, timeRuns, bertFeeds };
