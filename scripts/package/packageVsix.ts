// One `vsce package --target` run: the target's ignore file, the Marketplace README, relative links kept.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { writeIgnoreFile } from './ignoreFile';
import { writeMarketplaceReadme } from './marketplaceReadme';
import type { PackageTarget } from './targets';

export const repoRoot = path.resolve(__dirname, '..', '..');
const vsceBin = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');

/** Packages the current dist/ for `target` into `out`; `quiet` keeps vsce's file tree off the terminal. */
export function packageVsix(target: PackageTarget, out: string, quiet = false): void {
  const ignore = writeIgnoreFile(target, repoRoot);
  try {
    fs.rmSync(out, { force: true });
    const readme = writeMarketplaceReadme(repoRoot);
    // Relative links stay relative: the project has no public repository URL to rewrite them against.
    const args = [vsceBin, 'package', '--target', target.vsceTarget, '--ignoreFile', ignore.file, '--readme-path', readme,
      '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out];
    execFileSync(process.execPath, args, { cwd: repoRoot, stdio: quiet ? 'pipe' : 'inherit' });
  } finally {
    fs.rmSync(ignore.folder, { recursive: true, force: true });
  }
}
