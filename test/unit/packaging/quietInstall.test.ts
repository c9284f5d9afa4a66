import * as assert from 'assert';
import { execFile } from 'child_process';
import * as path from 'path';
import { promisify } from 'util';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

describe('quiet install (.npmrc)', function () {
  this.timeout(60_000);

  it('npm reads the project .npmrc without a warning and runs no dependency install script', async () => {
    // The env of `npm test` carries npm_config_* values of its own; start from the user's environment without them.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
    const { stdout, stderr } = await promisify(execFile)('npm', ['config', 'get', 'ignore-scripts'], { cwd: repoRoot, env });
    assert.strictEqual(stderr, '', 'npm printed a warning about the project config');
    // onnxruntime-node's install script would otherwise fetch CUDA files from NuGet on linux-x64.
    assert.strictEqual(stdout.trim(), 'true');
  });
});
