// `npm run package` / `npm run package:all`: one production build, then one VSIX per target, each checked after writing
// (native files' format and CPU read from their headers, nothing of another platform inside).
// Usage: tsx scripts/package/packageTargets.ts <target ...> | --all
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { inspectVsix } from './inspectVsix';
import { packageVsix, repoRoot } from './packageVsix';
import { packageTargetNamed, packageTargets, vsixFileName } from './targets';

async function main(argv: string[]): Promise<void> {
  const targets = argv.includes('--all') ? packageTargets : argv.map(packageTargetNamed);
  if (targets.length === 0) throw new Error('name a target (e.g. linux-x64) or --all');
  // A clean production build: no development source maps can slip into the packages.
  fs.rmSync(path.join(repoRoot, 'dist'), { recursive: true, force: true });
  execFileSync(process.execPath, [path.join(repoRoot, 'esbuild.js'), '--production'], { cwd: repoRoot, stdio: 'inherit' });
  const failures: string[] = [];
  for (const target of targets) {
    const started = Date.now();
    const vsix = path.join(repoRoot, vsixFileName(target));
    packageVsix(target, vsix);
    const report = await inspectVsix(vsix, target);
    const natives = report.entries.filter((e) => e.native);
    const mib = (fs.statSync(vsix).size / 2 ** 20).toFixed(1);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`${vsixFileName(target)}: ${mib} MiB, ${report.entries.length} files, ` +
      `${natives.length} native (all ${target.format} ${target.arch}: ${report.problems.length === 0}), ${seconds} s`);
    for (const problem of report.problems) failures.push(`${vsixFileName(target)}: ${problem}`);
  }
  if (failures.length > 0) throw new Error(`packages failed their check:\n${failures.join('\n')}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
