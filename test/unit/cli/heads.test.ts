// `attention-lens heads` as a user runs it: on the bundled model and its held-out sample the finder names the heads the
// model card names, with the card's own numbers; the probe fills induction only for causal models.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { buildCliBundles, runCli } from '../../support/buildCli';
import { bundledModelFolder } from '../../../src/models/bundled';
import { MODELS, ROOT, tempDir } from '../engine/helpers';

interface HeadsJson {
  model: { name: string; layers: number; heads: number; causal: boolean };
  probe: { length: number; samples: number } | null;
  descriptions: Record<string, string>;
  heads: { layer: number; head: number; scores: Record<string, number | null>; sinkTokens: number[] }[];
}

let cacheHome: string;

const cli = (...args: string[]) => runCli(cacheHome, ...args);

function headsJson(...args: string[]): HeadsJson {
  const out = path.join(tempDir('heads'), 'heads.json');
  const r = cli('heads', ...args, '--json', out);
  assert.strictEqual(r.code, 0, r.stderr);
  return JSON.parse(fs.readFileSync(out, 'utf8')) as HeadsJson;
}

/** Heads ranked by one score, best first; ties keep layer/head order, as the card's numpy argmax does. */
function rankedBy(json: HeadsJson, score: string): HeadsJson['heads'] {
  return [...json.heads].sort((a, b) => (b.scores[score] ?? -1) - (a.scores[score] ?? -1) || a.layer - b.layer || a.head - b.head);
}

describe('heads command', function () {
  this.timeout(180000);
  const metrics = JSON.parse(fs.readFileSync(path.join(bundledModelFolder(), 'metrics.json'), 'utf8'));
  before(async () => {
    cacheHome = tempDir('heads-cache');
    await buildCliBundles();
  });

  it('finds the model card\'s previous-token and bracket heads on the held-out sample, with the card\'s numbers', () => {
    const sample = path.join(ROOT, metrics.heldout_sample_previous_token.file);
    const json = headsJson('--text-file', sample);
    assert.strictEqual(json.heads.length, json.model.layers * json.model.heads);
    const prev = rankedBy(json, 'previousToken')[0];
    const card = metrics.heldout_sample_previous_token;
    assert.deepStrictEqual([prev.layer, prev.head], [card.layer, card.head], 'card: layer 0 head 3, counting from 0');
    assert.ok(Math.abs((prev.scores.previousToken as number) - card.best) < 1e-6, `previous-token ${prev.scores.previousToken} vs card ${card.best}`);
    const bracketCard = metrics.heldout_sample_brackets;
    const bracket = rankedBy(json, 'brackets')[0];
    assert.deepStrictEqual([bracket.layer, bracket.head], [bracketCard.layer, bracketCard.head]);
    // 15 of the card's 27 pairs: the same count, so the same pairs and the same argmax decisions as PyTorch.
    assert.ok(Math.abs((bracket.scores.brackets as number) - bracketCard.best) < 1e-6, `brackets ${bracket.scores.brackets} vs card ${bracketCard.best}`);
    assert.strictEqual(json.probe, null, 'an encoder gets no induction probe');
    for (const h of json.heads) assert.strictEqual(h.scores.induction, null);
  });

  it('on the demo sample, the card\'s heads lead outright and the table lists them first', () => {
    const sample = path.join(bundledModelFolder(), '..', 'samples', 'sample.py');
    const json = headsJson('--text-file', sample);
    const [first, second] = rankedBy(json, 'brackets');
    assert.deepStrictEqual([first.layer, first.head], [metrics.bracket_matching.layer, metrics.bracket_matching.head]);
    assert.ok((first.scores.brackets as number) > (second.scores.brackets as number), 'no tie on the demo sample');
    const r = cli('heads', '--text-file', sample, '--sort', 'previousToken');
    assert.strictEqual(r.code, 0, r.stderr);
    const firstRow = r.stdout.split('\n').find((l) => /^L\d H\d/.test(l));
    assert.match(firstRow ?? '', /^L0 H3 +prev 100%/);
    assert.match(r.stdout, /prev +share of queries whose strongest key is the token just before/);
  });

  it('runs the repeated-random-tokens probe on a causal model and says how', () => {
    const json = headsJson('--model', path.join(MODELS, 'gpt2'), '--text', 'def f(a, b):\n    return f(b, a)');
    assert.strictEqual(json.model.causal, true);
    assert.deepStrictEqual(json.probe, { length: 32, samples: 8 }, 'the 64-token fixture holds two copies of 32');
    for (const h of json.heads) {
      for (const key of ['induction', 'duplicate']) {
        const v = h.scores[key] as number;
        assert.ok(v >= 0 && v <= 1, `${key} ${v}`);
      }
    }
    assert.match(json.descriptions.induction, /repeated random sequence/);
  });

  it('refuses an unknown --sort with the list of scores', () => {
    const r = cli('heads', '--text', 'x', '--sort', 'fame');
    assert.notStrictEqual(r.code, 0);
    assert.match(r.stderr, /--sort must be one of entropy, distance, .*previousToken/);
  });
});
