// Encoders with a fixed number of positions: a longer text is analysed in overlapping windows and stitched; each
// token's row equals the model's attention within its own window, and is zero outside it.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { AttentionEngine } from '../../../src/engine/analyze';
import { ownerWindow, planWindows } from '../../../src/engine/encoderWindows';
import { LongAttentionEngine } from '../../../src/engine/longAnalysis';
import { MODELS, ROOT, tempDir } from './helpers';

describe('encoder windows', function () {
  this.timeout(120000);

  it('plans overlapping windows that cover every token, each token owned where it is most central', () => {
    const windows = planWindows(1, 300, 126, 63);
    assert.deepStrictEqual(windows[0], { start: 1, end: 127 });
    assert.strictEqual(windows[windows.length - 1].end, 301);
    for (const w of windows) assert.ok(w.end - w.start <= 126);
    for (let i = 1; i < 301; i++) {
      const w = windows[ownerWindow(windows, i)];
      assert.ok(i >= w.start && i < w.end, `token ${i}`);
      if (i >= 1 + 63 && i < 301 - 63) assert.ok(Math.min(i - w.start, w.end - 1 - i) >= 31, `token ${i} is central in its window`);
    }
  });

  /** Rows of a windowed analysis against the full engine on each window's own text. */
  async function checkWindows(folder: string, words: number, method: 'replay' | 'full'): Promise<void> {
    const cacheDir = tempDir('windows-cache');
    const vocab = Object.keys(JSON.parse(fs.readFileSync(path.join(folder, 'tokenizer.json'), 'utf8')).model.vocab).filter((w) => /^[a-z]{3,8}$/.test(w)).sort();
    const text = Array.from({ length: words }, (_, i) => vocab[(i * 7919) % vocab.length]).join(' ');
    const long = await LongAttentionEngine.open(folder, { cacheDir });
    const full = await AttentionEngine.open(folder, { cacheDir });
    try {
      assert.strictEqual(long.method, method, long.fallbackReason);
      const r = await long.analyze(text, { windows: true });
      const n = r.tokens.length;
      assert.strictEqual(n, words + 2, 'every word is one token, plus [CLS] and [SEP]');
      const windows = r.windows ?? [];
      assert.ok(windows.length >= 3, 'several windows');
      assert.ok(windows.every((w) => w.end - w.start <= long.info.maxTokens - 2));
      assert.match(r.windowNote ?? '', /never crosses a window/);
      assert.deepStrictEqual([r.truncated, r.method], [false, method]);
      for (const q of [1, Math.floor(n / 3), Math.floor(n / 2), n - 2]) {
        const w = windows[ownerWindow(windows, q)];
        const expected = await full.analyze(text.slice(r.tokens[w.start].start, r.tokens[w.end - 1].end));
        const m = expected.tokens.length;
        assert.strictEqual(m, w.end - w.start + 2);
        const local = q - w.start + 1;
        for (const [l, h] of [[0, 0], [long.info.layers - 1, long.info.heads - 1]]) {
          const row = r.row(l, h, q);
          const want = expected.attention[l].subarray((h * m + local) * m, (h * m + local + 1) * m);
          for (let j = 1; j < m - 1; j++) assert.ok(Math.abs(row[w.start + j - 1] - want[j]) < 1e-5, `token ${q} key ${w.start + j - 1}`);
          assert.ok(Math.abs(row[0] - want[0]) < 1e-5 && Math.abs(row[n - 1] - want[m - 1]) < 1e-5, 'the window\'s [CLS] and [SEP]');
          for (let k = 1; k < n - 1; k++) if (k < w.start || k >= w.end) assert.strictEqual(row[k], 0, `no attention across windows (key ${k})`);
        }
      }
      assert.strictEqual(r.overview.cells, Math.ceil(n / Math.ceil(n / 256)));
    } finally {
      await long.dispose();
      await full.dispose();
    }
  }

  it('analyses 3× the BERT fixture\'s limit in windows; rows equal each window\'s own attention, zero across windows', () => checkWindows(path.join(MODELS, 'bert'), 380, 'replay'));

  it('windows the bundled model (512 positions, a relative position bias the replay leaves to the full path) over 1,400 tokens', () => checkWindows(path.join(ROOT, 'media', 'model'), 1400, 'full'));
});
