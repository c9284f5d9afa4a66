// Encoders with a fixed number of positions: a longer text is analysed in overlapping windows and stitched; each
// token's row equals the model's attention within its own window, and is zero outside it.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { AttentionEngine } from '../../../src/engine/analyze';
import { ownerWindow, planWindows } from '../../../src/engine/encoderWindows';
import { LongAttentionEngine } from '../../../src/engine/longAnalysis';
import { MODELS, tempDir } from './helpers';

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

  it('analyses 3× the BERT fixture\'s limit in windows; rows equal each window\'s own attention, zero across windows', async () => {
    const cacheDir = tempDir('windows-cache');
    const vocab = Object.keys(JSON.parse(fs.readFileSync(path.join(MODELS, 'bert', 'tokenizer.json'), 'utf8')).model.vocab).filter((w) => /^[a-z]{3,8}$/.test(w)).sort();
    const words = Array.from({ length: 380 }, (_, i) => vocab[(i * 7919) % vocab.length]);
    const text = words.join(' ');
    const long = await LongAttentionEngine.open(path.join(MODELS, 'bert'), { cacheDir });
    const full = await AttentionEngine.open(path.join(MODELS, 'bert'), { cacheDir });
    try {
      const r = await long.analyze(text, { windows: true });
      const n = r.tokens.length;
      assert.strictEqual(n, 382, 'every word is one token, plus [CLS] and [SEP]');
      const windows = r.windows ?? [];
      assert.ok(windows.length >= 3, 'several windows');
      assert.match(r.windowNote ?? '', /never crosses a window/);
      assert.strictEqual(r.truncated, false);
      for (const q of [1, 150, 200, 380]) {
        const w = windows[ownerWindow(windows, q)];
        const windowText = text.slice(r.tokens[w.start].start, r.tokens[w.end - 1].end);
        const expected = await full.analyze(windowText);
        const m = expected.tokens.length;
        assert.strictEqual(m, w.end - w.start + 2);
        const local = q - w.start + 1;
        for (const [l, h] of [[0, 0], [1, 3]]) {
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
  });
});
