import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { drawIconPixels, encodePng, ICON_SIZE } from '../../../scripts/package/drawIcon';
import { marketplaceReadme } from '../../../scripts/package/marketplaceReadme';
import { bundledPackages, NOTICES_FILE, noticesText, shippedPackages } from '../../../scripts/package/thirdPartyNotices';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

// The Marketplace's categories (vsce rejects others).
const marketplaceCategories = ['AI', 'Azure', 'Chat', 'Data Science', 'Debuggers', 'Education', 'Extension Packs',
  'Formatters', 'Keymaps', 'Language Packs', 'Linters', 'Machine Learning', 'Notebooks', 'Programming Languages',
  'SCM Providers', 'Snippets', 'Testing', 'Themes', 'Visualization', 'Other'];

describe('Marketplace manifest', () => {
  it('has a 128×128 PNG icon that `npm run icon` reproduces byte for byte', () => {
    const icon = fs.readFileSync(path.join(repoRoot, manifest.icon));
    assert.strictEqual(icon.subarray(1, 4).toString('latin1'), 'PNG');
    assert.deepStrictEqual([icon.readUInt32BE(16), icon.readUInt32BE(20)], [128, 128]);
    assert.ok(icon.equals(encodePng(drawIconPixels(), ICON_SIZE, ICON_SIZE)), 'media/icon.png is stale: npm run icon');
  });

  it('draws an opaque icon inside its rounded corners and a transparent corner', () => {
    const pixels = drawIconPixels();
    const alphaAt = (x: number, y: number) => pixels[(y * ICON_SIZE + x) * 4 + 3];
    assert.strictEqual(alphaAt(0, 0), 0);
    assert.strictEqual(alphaAt(64, 64), 255);
  });

  it('has a gallery banner, Marketplace categories and a short list of distinct keywords', () => {
    assert.match(manifest.galleryBanner.color, /^#[0-9a-f]{6}$/i);
    assert.ok(['dark', 'light'].includes(manifest.galleryBanner.theme));
    for (const category of manifest.categories) assert.ok(marketplaceCategories.includes(category), category);
    assert.ok(manifest.keywords.length > 0 && manifest.keywords.length <= 30);
    assert.strictEqual(new Set(manifest.keywords).size, manifest.keywords.length);
  });

  it('ships third-party notices that name every bundled and shipped package and are current', () => {
    const bundled = bundledPackages();
    assert.ok(bundled.includes('chart.js') && bundled.includes('lit'), `bundled: ${bundled.join(', ')}`);
    const committed = fs.readFileSync(path.join(repoRoot, NOTICES_FILE), 'utf8');
    for (const name of [...shippedPackages, ...bundled]) {
      const version = JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')).version;
      assert.ok(committed.includes(`## ${name} ${version}\n`), `${NOTICES_FILE} lacks ${name} ${version}`);
    }
    assert.ok(committed.includes('## The bundled model (media/model)'));
    assert.strictEqual(committed, noticesText(bundled), `${NOTICES_FILE} is stale: npm run notices`);
  });

  it('gives the Marketplace page the README\'s user sections only, without build commands', () => {
    const page = marketplaceReadme(fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8'));
    const headings = [...page.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    assert.deepStrictEqual(headings.slice(-1), ['Licences']);
    for (const wanted of ['Using Attention Lens in VS Code', 'Supported platforms', 'Models']) {
      assert.ok(headings.includes(wanted), wanted);
    }
    for (const developerOnly of ['Tests', 'Benchmark', 'Packaging', 'Dependencies', 'Layout']) {
      assert.ok(!headings.includes(developerOnly), developerOnly);
    }
    assert.ok(!page.includes('npm ci'), 'no install commands on the Marketplace page');
    // vsce refuses SVG images in a README; the Marketplace shows PNG/JPEG/GIF.
    for (const [, image] of page.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)) assert.match(image, /\.(png|jpe?g|gif)$/i);
  });
});
