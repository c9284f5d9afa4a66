// `attention-lens demo` as a user runs it after `npm run demo`, and the bracket bookkeeping its report rests on.
import * as assert from 'assert';
import { buildCliBundles, CLI } from '../../support/buildCli';
import { spawnSync } from 'child_process';
import { bracketPairs, bracketScore } from '../../../src/engine/headScores';
import type { Token } from '../../../src/engine/types';
import { tempDir } from '../engine/helpers';

let cacheHome: string;

function demo(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'demo', ...args], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tokens(...texts: string[]): Token[] {
  return texts.map((text, i) => ({ id: i, text, start: i, end: i + 1, special: text === '[CLS]' || text === '[SEP]' }));
}

describe('demo', function () {
  this.timeout(120000);
  before(async () => {
    cacheHome = tempDir('demo-cache');
    await buildCliBundles();
  });

  it('prints the focused, previous-token and bracket heads and what the farthest closing bracket attends to', () => {
    const r = demo();
    assert.strictEqual(r.code, 0, r.stderr);
    for (const section of ['Most focused heads', 'Previous-token heads', 'Bracket-matching heads', 'the best bracket head', 'the best previous-token head']) {
      assert.ok(r.stdout.includes(section), `missing "${section}" in:\n${r.stdout}`);
    }
    assert.match(r.stdout, /sample\.py \(\d+ tokens, \d+ bracket pairs/);
    assert.match(r.stdout, /What #\d+ "\)" at line \d+:\d+ attends to \(its opener is #\d+\)/);
    assert.match(r.stdout, /^ {2}L\d H\d +focus \d\.\d\d +previous-token +\d+% +brackets +\d+%$/m);
  });

  it('--token picks the token to explain', () => {
    const r = demo('--token', '3');
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stdout, /What #3 "/);
  });

  it('an impossible --token is one line on stderr, no stack trace', () => {
    for (const bad of ['9999', 'two']) {
      const r = demo('--token', bad);
      assert.notStrictEqual(r.code, 0);
      const lines = r.stderr.split('\n').filter(Boolean);
      assert.strictEqual(lines.length, 1, r.stderr);
      assert.match(lines[0], /^attention-lens: .*--token/);
    }
  });

  it('pairs nested brackets and gives up on mismatched ones', () => {
    const t = tokens('[CLS]', 'f', '(', 'a', '[', '1', ']', ',', '{', '(', 'b', ')', '}', ')', '[SEP]');
    assert.deepStrictEqual([...bracketPairs(t)].sort((a, b) => a[0] - b[0]), [[6, 4], [11, 9], [12, 8], [13, 2]]);
    assert.deepStrictEqual([...bracketPairs(tokens('(', ']', ')', '(', ')'))], [[4, 3]]);
  });

  it('scores a head by whether each closing bracket looks hardest at its opener', () => {
    const t = tokens('(', 'x', ')', '[', ']');
    const n = t.length;
    const m = new Float32Array(n * n).fill(0.1);
    m[2 * n + 0] = 0.6; // ")" → "(": hit
    m[4 * n + 1] = 0.6; // "]" → "x": miss
    assert.strictEqual(bracketScore(m, n, bracketPairs(t)), 0.5);
  });
});
