// Nothing outside the model folder is read: links to elsewhere (weights → /etc/passwd) and variants with ".." are
// refused; Hugging Face cache snapshots, whose files link into the same repo's blobs/, still load.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { AttentionEngine } from '../../../src/engine/analyze';
import { isAttentionLensError } from '../../../src/engine/errors';
import { copyModel, MODELS, tempDir } from './helpers';

async function refuses(promise: Promise<unknown>, code: string, mention: RegExp): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(isAttentionLensError(e), String(e));
    assert.strictEqual(e.code, code, e.message);
    assert.match(e.message, mention);
    return true;
  });
}

describe('reading only inside the model folder', function () {
  this.timeout(60000);

  it('refuses an external-data file that is a symlink to a file outside the folder', async () => {
    const folder = copyModel('bert-external-data');
    const outside = path.join(tempDir('outside'), 'secret.bin');
    fs.copyFileSync(path.join(folder, 'model.onnx_data'), outside);
    fs.rmSync(path.join(folder, 'model.onnx_data'));
    fs.symlinkSync(outside, path.join(folder, 'model.onnx_data'));
    await refuses(AttentionEngine.open(folder, { cacheDir: tempDir('cache') }), 'FILE_OUTSIDE_MODEL', /secret\.bin, outside the model folder/);
    fs.rmSync(path.join(folder, 'model.onnx_data'));
    fs.symlinkSync('/etc/passwd', path.join(folder, 'model.onnx_data'));
    await refuses(AttentionEngine.open(folder, { cacheDir: tempDir('cache') }), 'FILE_OUTSIDE_MODEL', /\/etc\/passwd/);
  });

  it('refuses a graph, config or tokenizer linked from outside', async () => {
    for (const file of ['onnx/model.onnx', 'config.json', 'tokenizer.json']) {
      const folder = copyModel('bert');
      const outside = path.join(tempDir('outside'), path.basename(file));
      fs.renameSync(path.join(folder, file), outside);
      fs.symlinkSync(outside, path.join(folder, file));
      await refuses(AttentionEngine.open(folder, { cacheDir: tempDir('cache') }), 'FILE_OUTSIDE_MODEL', /outside the model folder/);
    }
  });

  it('refuses an encoder–decoder whose decoder graph is linked from outside', async () => {
    const folder = copyModel('bart');
    const outside = path.join(tempDir('outside'), 'decoder_model.onnx');
    fs.renameSync(path.join(folder, 'onnx/decoder_model.onnx'), outside);
    fs.symlinkSync(outside, path.join(folder, 'onnx/decoder_model.onnx'));
    await refuses(AttentionEngine.open(folder, { cacheDir: tempDir('cache') }), 'FILE_OUTSIDE_MODEL', /decoder_model\.onnx, outside the model folder/);
  });

  it('accepts links inside the folder and a Hugging Face cache snapshot linking into its blobs/', async () => {
    const repo = path.join(tempDir('hf'), 'models--org--bert');
    const snapshot = path.join(repo, 'snapshots', 'a'.repeat(40));
    fs.mkdirSync(path.join(repo, 'blobs'), { recursive: true });
    for (const file of ['config.json', 'tokenizer.json', 'onnx/model.onnx']) {
      const blob = path.join(repo, 'blobs', file.replace('/', '_'));
      fs.copyFileSync(path.join(MODELS, 'bert', file), blob);
      fs.mkdirSync(path.dirname(path.join(snapshot, file)), { recursive: true });
      fs.symlinkSync(path.relative(path.dirname(path.join(snapshot, file)), blob), path.join(snapshot, file));
    }
    const engine = await AttentionEngine.open(snapshot, { cacheDir: tempDir('cache') });
    assert.ok((await engine.analyze('cached snapshot')).tokens.length > 2);
    await engine.dispose();
  });

  it('refuses variants that climb out of the folder or are absolute', async () => {
    const folder = copyModel('bert');
    const outside = path.join(path.dirname(folder), 'evil.onnx');
    fs.copyFileSync(path.join(folder, 'onnx', 'model.onnx'), outside);
    for (const variant of ['../evil.onnx', '../../evil.onnx', outside, 'onnx\\..\\..\\evil.onnx', '../x']) {
      await refuses(AttentionEngine.open(folder, { cacheDir: tempDir('cache'), variant }), 'BAD_ARGUMENT', /not a valid model variant/);
    }
  });
});
