// `attention-lens analyze --weighting value-norm` as a user runs it: the JSON gains `valueNormAttention`, nested like
// `attention`, equal to the PyTorch reference; a wrong --weighting value is one clear line.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { buildCliBundles, runCli } from '../../support/buildCli';
import { MODELS, REFERENCES, ROOT, tempDir } from '../engine/helpers';

let cacheHome: string;

const cli = (...args: string[]) => runCli(cacheHome, ...args);

describe('analyze --weighting value-norm', function () {
  this.timeout(120000);
  before(async () => {
    cacheHome = tempDir('value-norm-cli-cache');
    await buildCliBundles();
  });

  it('writes valueNormAttention with the same nesting as attention, equal to PyTorch', () => {
    const ref = JSON.parse(fs.readFileSync(path.join(REFERENCES, 'value-norm', 'gpt2.json'), 'utf8'));
    const dir = tempDir('value-norm-cli');
    const textFile = path.join(dir, 'code.py');
    fs.writeFileSync(textFile, ref.text);
    const out = path.join(dir, 'out.json');
    const r = cli('analyze', '--model', path.join(MODELS, 'gpt2'), '--text-file', textFile, '--weighting', 'value-norm', '--json', out);
    assert.strictEqual(r.code, 0, r.stderr);
    const json = JSON.parse(fs.readFileSync(out, 'utf8'));
    const shape = (a: number[][][][]) => [a.length, a[0].length, a[0][0].length, a[0][0][0].length];
    assert.deepStrictEqual(shape(json.valueNormAttention), shape(json.attention));
    let maxDiff = 0;
    ref.value_norm.forEach((layer: number[][][], l: number) => layer.forEach((rows, h) => rows.forEach((row, q) => row.forEach((v, k) => {
      maxDiff = Math.max(maxDiff, Math.abs(json.valueNormAttention[l][h][q][k] - v));
    }))));
    assert.ok(maxDiff <= ref.tolerance, `max diff ${maxDiff}`);
  });

  it('leaves the field out by default and refuses an unknown weighting', () => {
    const out = path.join(tempDir('value-norm-cli'), 'plain.json');
    assert.strictEqual(cli('analyze', '--model', path.join(MODELS, 'bert'), '--text', 'a b', '--json', out).code, 0);
    assert.ok(!('valueNormAttention' in JSON.parse(fs.readFileSync(out, 'utf8'))));
    const r = cli('analyze', '--model', path.join(MODELS, 'bert'), '--text', 'a b', '--weighting', 'gradient');
    assert.notStrictEqual(r.code, 0);
    assert.match(r.stderr, /^attention-lens: --weighting must be "weights" or "value-norm", got "gradient"\./);
  });

  it('says in one line why a graph without an output projection has no value-norm attention', () => {
    const r = cli('analyze', '--model', path.join(ROOT, 'test', 'fixtures', 'value-norm', 'no-output-projection'), '--text', 'x = 1', '--weighting', 'value-norm');
    assert.notStrictEqual(r.code, 0);
    const lines = r.stderr.trim().split('\n');
    assert.strictEqual(lines.length, 1, r.stderr);
    assert.match(lines[0], /^attention-lens: Value-norm attention is not available .*no output projection .* Use the plain attention weights/);
  });
});
