// Builds the extension host, the CLI and the inference worker (Node, CJS) and the webview (browser, ESM).
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// Which npm packages each bundle pulls in, for THIRD-PARTY-NOTICES.md (scripts/package/thirdPartyNotices.ts).
const metafileFolder = path.join('.cache', 'esbuild');

/** Prints errors in the format VS Code's esbuild problem matcher understands. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

// Output name → entry: dist/extension.js (host), dist/cli.js (CLI), dist/worker.js (inference worker).
const nodeEntries = { extension: 'src/extension.ts', cli: 'src/cli/main.ts', worker: 'src/engine/worker.ts' };
for (const [name, file] of Object.entries(nodeEntries)) if (!fs.existsSync(file)) delete nodeEntries[name];
// Browser bundles: the attention panel (dist/panel.js), the side panel (dist/sidePanel.js) and the script the
// offline HTML report export inlines (dist/report.js).
const webviewEntries = { panel: 'webview/panel/index.ts', sidePanel: 'webview/sidePanel/index.ts', report: 'webview/report/index.ts' };
for (const [name, file] of Object.entries(webviewEntries)) if (!fs.existsSync(file)) delete webviewEntries[name];

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
  // The watch-mode lines feed VS Code's esbuild problem matcher; a one-off build stays quiet.
  plugins: watch ? [problemMatcher] : [],
};

async function main() {
  const contexts = [];
  if (Object.keys(nodeEntries).length) {
    contexts.push(
      await esbuild.context({
        ...common,
        entryPoints: nodeEntries,
        outdir: 'dist',
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        external: ['vscode', 'onnxruntime-node', 'tokenizers'],
      }),
    );
  }
  if (Object.keys(webviewEntries).length) {
    contexts.push(
      await esbuild.context({
        ...common,
        entryPoints: webviewEntries,
        outdir: 'dist',
        platform: 'browser',
        format: 'esm',
        target: 'es2022',
        loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
      }),
    );
  }
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
  } else {
    const results = await Promise.all(contexts.map((c) => c.rebuild()));
    fs.mkdirSync(metafileFolder, { recursive: true });
    results.forEach((r, i) => fs.writeFileSync(path.join(metafileFolder, `meta-${i}.json`), JSON.stringify(r.metafile)));
    await Promise.all(contexts.map((c) => c.dispose()));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
