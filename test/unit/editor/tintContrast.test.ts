import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { contrastRatio, parseHex, tintedContrast } from '../../../src/editor/tintContrast';

/** Default editor text and background of VS Code's default theme of each kind (Dark Modern, Light Modern, HC, HC Light). */
const THEMES: Record<string, { foreground: string; background: string }> = {
  dark: { foreground: '#cccccc', background: '#1f1f1f' },
  light: { foreground: '#3b3b3b', background: '#ffffff' },
  highContrast: { foreground: '#ffffff', background: '#000000' },
  highContrastLight: { foreground: '#292929', background: '#ffffff' },
};

describe('editor tints that keep code readable', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
  const colors: { id: string; defaults: Record<string, string> }[] = manifest.contributes.colors;
  const tints = Array.from({ length: 8 }, (_, i) => colors.find((c) => c.id === `attentionLens.tint${i + 1}`)!);

  for (const [kind, theme] of Object.entries(THEMES)) {
    it(`${kind}: text keeps WCAG AA contrast (4.5:1) over every tint level, and levels grow stronger`, () => {
      let previous = Infinity;
      for (const tint of tints) {
        const ratio = tintedContrast(theme.foreground, theme.background, tint.defaults[kind]);
        assert.ok(ratio >= 4.5, `${tint.id} in ${kind}: ${ratio.toFixed(2)}`);
        assert.ok(ratio < previous, `${tint.id} must be stronger than the level before`);
        previous = ratio;
      }
      // The strongest level is clearly visible against the untinted background.
      const strongest = parseHex(tints[7].defaults[kind]);
      const bg = parseHex(theme.background).rgb;
      const tinted = bg.map((v, i) => v * (1 - strongest.alpha) + strongest.rgb[i] * strongest.alpha) as [number, number, number];
      assert.ok(contrastRatio(bg, tinted) >= 1.5, `${kind}: strongest tint vs background ${contrastRatio(bg, tinted).toFixed(2)}`);
    });
  }

  it('uses one hue per theme kind, the blue of the heatmap, not orange', () => {
    for (const kind of Object.keys(THEMES)) {
      const hues = new Set(tints.map((t) => t.defaults[kind].slice(0, 7)));
      assert.strictEqual(hues.size, 1);
      const [r, , b] = parseHex([...hues][0]).rgb;
      assert.ok(b > r, `${kind} tint is blue`);
    }
  });
});

describe('the editor tint legend', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { levelThresholds, tintLegendMarkdown } = require('../../../src/editor/tintLegend');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { bucketOf, scaleWeight } = require('../../../src/editor/weightBuckets');

  it('says which weight each level starts at, agreeing with how weights are bucketed', () => {
    for (const scale of ['linear', 'sqrt', 'log']) {
      const t: number[] = levelThresholds(0.4, scale);
      t.forEach((w, b) => {
        assert.strictEqual(bucketOf(scaleWeight((w * 1.001) / 0.4, scale)), b, `${scale} level ${b}`);
        if (b > 0) assert.ok(w > t[b - 1]);
      });
    }
    const md: string = tintLegendMarkdown(['#3794ff0e', '#3794ff70'], 0.5, 'linear');
    assert.match(md, /strongest key 50\.0%/);
    assert.match(md, /background-color:#3794ff70;">&nbsp;37\.5%/);
  });
});
