// The patched-graph cache never blocks an analysis: one graph under two names shares a folder (it failed with
// ENOTEMPTY before), and a cache that cannot be written falls back to a private temporary copy, or says why not.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AttentionEngine } from '../../../src/engine/analyze';
import { isAttentionLensError } from '../../../src/engine/errors';
import { copyModel, tempDir } from './helpers';

describe('patched-graph cache', function () {
  this.timeout(60000);

  it('serves one graph reached under two file names (two links to one Hub blob)', async () => {
    const folder = copyModel('bert');
    fs.symlinkSync('model.onnx', path.join(folder, 'onnx', 'model_alias.onnx'));
    const cacheDir = tempDir('cache');
    for (const variant of [undefined, 'model_alias.onnx', 'model_alias.onnx', undefined]) {
      const engine = await AttentionEngine.open(folder, { cacheDir, variant });
      assert.ok((await engine.analyze('two names, one graph')).tokens.length > 2);
      await engine.dispose();
    }
    assert.deepStrictEqual(fs.readdirSync(path.join(cacheDir, 'patched')).length, 1);
  });

  it('a cache folder that cannot be written (a file, or under /proc) falls back to a temporary copy it removes', async () => {
    const notAFolder = path.join(tempDir('cache'), 'cache-is-a-file');
    fs.writeFileSync(notAFolder, '');
    const before = new Set(fs.readdirSync(os.tmpdir()));
    for (const cacheDir of [notAFolder, '/proc/self/attention-lens-cache']) {
      const engine = await AttentionEngine.open(copyModel('bert'), { cacheDir });
      assert.ok((await engine.analyze('still works')).tokens.length > 2);
      await engine.dispose();
    }
    const left = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('attention-lens-patched-') && !before.has(f));
    assert.deepStrictEqual(left, [], 'temporary copies are removed after loading');
  });

  it('when neither the cache nor the temporary folder can be written, the message names both and the disk', async () => {
    const notAFolder = path.join(tempDir('cache'), 'file');
    fs.writeFileSync(notAFolder, '');
    const folder = copyModel('bert');
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = notAFolder;
    try {
      await assert.rejects(AttentionEngine.open(folder, { cacheDir: notAFolder }), (e: unknown) => {
        assert.ok(isAttentionLensError(e), String(e));
        assert.strictEqual(e.code, 'CACHE_UNWRITABLE');
        assert.match(e.message, /cache folder .* and the temporary folder/);
        assert.match(e.hint, /--cache-dir/);
        return true;
      });
    } finally {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
    }
  });
});
