// Mocha hooks for a suite of tests on the built webviews in headless Chromium: a static server and a browser for the
// suite, or the suite skipped with the reason where the bundles or Debian's chromium are missing.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const harness = require('../../../webview-perf/harness.js');

export interface ChromiumSuite {
  server: { url: string; close(): Promise<void> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  browser: any;
}

export function useChromium(): ChromiumSuite {
  const suite = {} as ChromiumSuite;
  before(async function () {
    if (!harness.builtBundlesAvailable() || !harness.chromiumAvailable()) {
      // CI installs Chromium (.ci/run), so there a missing browser is a broken setup, not a reason to skip.
      if (process.env.CI) throw new Error('needs `npm run build` and /usr/bin/chromium, and CI must have it');
      console.warn('    skipped: needs `npm run build` and /usr/bin/chromium');
      this.skip();
    }
    suite.server = await harness.startServer();
    suite.browser = await harness.launchBrowser();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.close();
  });
  return suite;
}
