// `npm run bench` (second part): generative models. Generates bench/models/{marian-shaped,llama-shaped} if missing
// (bench/generative_models.py, random weights), then, interleaving the two in one process so machine load hits both:
//   - Marian-shaped encoder–decoder, 128 source + 128 target tokens: engine.analyze(source, { target }) end to end vs
//     bare onnxruntime running the original encoder and decoder once each (same ids); greedy generation of 64 tokens
//     (engine vs a bare onnxruntime loop doing the same argmax steps), in ms per token.
//   - LLaMA-shaped key/value-cache decoder at 512 tokens: engine.analyze vs bare onnxruntime on the original graph
//     with an empty cache.
// Flags: --runs 5 --warmups 1. Writes bench/results-generative.json.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const ort = require('onnxruntime-node');
const { buildEngineBundle } = require('./build-engine-bundle');
const { median } = require('./measure/common');

const MODELS = path.join(__dirname, 'models');
const MARIAN = path.join(MODELS, 'marian-shaped');
const LLAMA = path.join(MODELS, 'llama-shaped');
const RESULTS_FILE = path.join(__dirname, 'results-generative.json');
const GENERATE = 64;

function flag(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? Number(process.argv[i + 1]) : fallback;
}

const int64 = (ids, dims) => new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), dims);
const ones = (n) => new Array(n).fill(1);

function argmaxLast(logits) {
  const vocab = logits.dims[logits.dims.length - 1];
  const row = logits.data.subarray(logits.data.length - vocab);
  let best = 0;
  for (let i = 1; i < vocab; i++) if (row[i] > row[best]) best = i;
  return best;
}

/** Bare onnxruntime: encoder once, decoder once (teacher-forced), as a caller without Attention Lens would. */
async function bareSeq2seq(encoder, decoder, sourceIds, decoderIds) {
  const s = sourceIds.length;
  const { last_hidden_state: hidden } = await encoder.run({ input_ids: int64(sourceIds, [1, s]), attention_mask: int64(ones(s), [1, s]) });
  const t = decoderIds.length;
  await decoder.run({ input_ids: int64(decoderIds, [1, t]), encoder_attention_mask: int64(ones(s), [1, s]), encoder_hidden_states: hidden });
  return hidden;
}

async function bareGreedy(decoder, hidden, s, start, steps) {
  const ids = [start];
  for (let i = 0; i < steps; i++) {
    const { logits } = await decoder.run({ input_ids: int64(ids, [1, ids.length]), encoder_attention_mask: int64(ones(s), [1, s]), encoder_hidden_states: hidden });
    ids.push(argmaxLast(logits));
  }
  return ids.length - 1;
}

/** `count` texts of exactly `tokens` tokens (specials included) from space-prefixed single-token words, seeded. */
async function textsOfLength(tokenizerFile, tokens, count, seed) {
  const { Tokenizer } = require('tokenizers');
  const tokenizer = Tokenizer.fromFile(tokenizerFile);
  const specials = (await tokenizer.encode('')).getIds().length;
  const words = [];
  for (const piece of Object.keys(tokenizer.getVocab(false)).filter((w) => /^Ġ[a-z]{2,}$/.test(w)).sort()) {
    if ((await tokenizer.encode(' ' + piece.slice(1))).getIds().length === specials + 1) words.push(' ' + piece.slice(1));
  }
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const out = [];
  for (let i = 0; i < count; i++) {
    const text = Array.from({ length: tokens - specials }, () => words[Math.floor(random() * words.length)]).join('');
    const n = (await tokenizer.encode(text)).getIds().length;
    if (n !== tokens) throw new Error(`bench text tokenized to ${n} tokens, expected ${tokens}`);
    out.push({ text });
  }
  return out;
}

async function tokenIds(tokenizerFile, text) {
  const { Tokenizer } = require('tokenizers');
  return (await Tokenizer.fromFile(tokenizerFile).encode(text)).getIds();
}

async function interleaved(warmups, runs, a, b) {
  const samples = { a: [], b: [] };
  for (let i = 0; i < warmups + runs; i++) {
    let t0 = performance.now();
    await a(i);
    const ta = performance.now() - t0;
    t0 = performance.now();
    await b(i);
    const tb = performance.now() - t0;
    if (i >= warmups) {
      samples.a.push(ta);
      samples.b.push(tb);
    }
  }
  return { aMs: median(samples.a), bMs: median(samples.b), ratio: median(samples.a) / median(samples.b) };
}

async function benchSeq2seq(AttentionEngine, cacheDir, warmups, runs) {
  const tokenizerFile = path.join(MARIAN, 'tokenizer.json');
  const config = JSON.parse(fs.readFileSync(path.join(MARIAN, 'config.json'), 'utf8'));
  const sources = await textsOfLength(tokenizerFile, 128, warmups + runs, 11);
  const targets = await textsOfLength(tokenizerFile, 128, warmups + runs, 12);
  const engine = await AttentionEngine.open(MARIAN, { cacheDir });
  const encoder = await ort.InferenceSession.create(path.join(MARIAN, 'onnx', 'encoder_model.onnx'));
  const decoder = await ort.InferenceSession.create(path.join(MARIAN, 'onnx', 'decoder_model.onnx'));
  const pairs = [];
  for (let i = 0; i < warmups + runs; i++) {
    const labels = await tokenIds(tokenizerFile, targets[i].text);
    pairs.push({ source: sources[i].text, sourceIds: await tokenIds(tokenizerFile, sources[i].text), target: targets[i].text, decoderIds: [config.decoder_start_token_id, ...labels.slice(0, -1)] });
  }
  const teacher = await interleaved(warmups, runs,
    (i) => engine.analyze(pairs[i].source, { target: pairs[i].target }),
    (i) => bareSeq2seq(encoder, decoder, pairs[i].sourceIds, pairs[i].decoderIds));
  // Greedy generation: fewer rounds (each is 64 decoder runs); per generated token.
  let generated = 0;
  const gen = await interleaved(0, 2,
    async (i) => {
      const r = await engine.analyze(`${pairs[i].source} ${i}`, { generate: GENERATE });
      generated = r.target.tokens.length;
    },
    async (i) => {
      const hidden = await bareSeq2seq(encoder, decoder, pairs[i].sourceIds, pairs[i].decoderIds.slice(0, 1));
      await bareGreedy(decoder, hidden, pairs[i].sourceIds.length, config.decoder_start_token_id, GENERATE);
    });
  await engine.dispose();
  return {
    sourceTokens: pairs[0].sourceIds.length,
    targetTokens: pairs[0].decoderIds.length,
    engineMs: teacher.aMs,
    bareOrtMs: teacher.bMs,
    ratio: teacher.ratio,
    generatedTokens: generated,
    engineGenerateMsPerToken: gen.aMs / GENERATE,
    bareOrtGenerateMsPerToken: gen.bMs / GENERATE,
  };
}

async function benchCacheDecoder(AttentionEngine, cacheDir, warmups, runs) {
  const tokenizerFile = path.join(LLAMA, 'tokenizer.json');
  const config = JSON.parse(fs.readFileSync(path.join(LLAMA, 'config.json'), 'utf8'));
  const texts = await textsOfLength(tokenizerFile, 512, warmups + runs, 13);
  const engine = await AttentionEngine.open(LLAMA, { cacheDir });
  const session = await ort.InferenceSession.create(path.join(LLAMA, 'onnx', 'model.onnx'));
  const kv = config.num_key_value_heads;
  const headDim = config.hidden_size / config.num_attention_heads;
  const idsOf = await Promise.all(texts.map((t) => tokenIds(tokenizerFile, t.text)));
  const r = await interleaved(warmups, runs,
    (i) => engine.analyze(texts[i].text),
    (i) => {
      const ids = idsOf[i];
      const n = ids.length;
      const feeds = { input_ids: int64(ids, [1, n]), attention_mask: int64(ones(n), [1, n]), position_ids: int64(ids.map((_, j) => j), [1, n]) };
      for (let l = 0; l < config.num_hidden_layers; l++) {
        for (const kind of ['key', 'value']) feeds[`past_key_values.${l}.${kind}`] = new ort.Tensor('float32', new Float32Array(0), [1, kv, 0, headDim]);
      }
      return session.run(feeds);
    });
  await engine.dispose();
  return { tokens: idsOf[0].length, engineMs: r.aMs, bareOrtMs: r.bMs, ratio: r.ratio };
}

async function main() {
  const runs = flag('runs', 5);
  const warmups = flag('warmups', 1);
  if (![MARIAN, LLAMA].every((f) => fs.existsSync(path.join(f, 'config.json')))) {
    console.log('generating the generative bench models (random weights) ...');
    execFileSync('/usr/bin/python3', [path.join(__dirname, 'generative_models.py'), MODELS], { stdio: 'inherit' });
  }
  const bundle = await buildEngineBundle(path.join(MODELS, '.engine'));
  const { AttentionEngine } = require(bundle.engine);
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attention-lens-bench-gen-'));
  try {
    const seq2seq = await benchSeq2seq(AttentionEngine, cacheDir, warmups, runs);
    const cache = await benchCacheDecoder(AttentionEngine, cacheDir, warmups, runs);
    const results = { date: new Date().toISOString(), runs, warmups, load1: fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0], seq2seq, cache };
    fs.writeFileSync(RESULTS_FILE, JSON.stringify(results, null, 2) + '\n');
    console.log('\n| generative model | engine | bare onnxruntime | engine / bare |\n|---|---:|---:|---:|');
    console.log(`| Marian-shaped enc–dec, ${seq2seq.sourceTokens} + ${seq2seq.targetTokens} tokens, teacher-forced | ${seq2seq.engineMs.toFixed(0)} ms | ${seq2seq.bareOrtMs.toFixed(0)} ms | ${seq2seq.ratio.toFixed(2)} |`);
    console.log(`| Marian-shaped greedy generation, ${GENERATE} tokens | ${seq2seq.engineGenerateMsPerToken.toFixed(1)} ms/token | ${seq2seq.bareOrtGenerateMsPerToken.toFixed(1)} ms/token | ${(seq2seq.engineGenerateMsPerToken / seq2seq.bareOrtGenerateMsPerToken).toFixed(2)} |`);
    console.log(`| LLaMA-shaped KV-cache decoder, ${cache.tokens} tokens | ${cache.engineMs.toFixed(0)} ms | ${cache.bareOrtMs.toFixed(0)} ms | ${cache.ratio.toFixed(2)} |`);
    console.log(`\nload average ${results.load1}; written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
