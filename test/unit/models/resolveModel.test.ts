import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { bundledModelFolder } from '../../../src/models/bundled';
import { resolveModelSpec } from '../../../src/models/resolveModel';
import { FakeHub } from '../../support/fakeHub';
import { COMMIT_A, FAST, fixtureRepo, isolatedHubEnv } from '../../support/hubFixtures';

describe('resolveModelSpec', () => {
  let hub: FakeHub;
  let env: ReturnType<typeof isolatedHubEnv>;

  beforeEach(async () => {
    env = isolatedHubEnv();
    hub = await new FakeHub({ 'Xenova/bert-tiny': fixtureRepo('bert') }).start();
  });
  afterEach(async () => {
    await hub.stop();
    env.restore();
  });

  it('nothing or blank → the bundled model', async () => {
    for (const spec of [undefined, '', '  ']) {
      const r = await resolveModelSpec(spec);
      assert.deepStrictEqual([r.folder, r.source], [bundledModelFolder(), 'bundled']);
    }
  });

  it('an existing folder wins, even one shaped like org/name', async () => {
    const local = path.join(env.home, 'Xenova', 'bert-tiny');
    fs.mkdirSync(local, { recursive: true });
    const notices: string[] = [];
    const r = await resolveModelSpec('Xenova/bert-tiny', { cwd: env.home, endpoint: hub.endpoint, variant: 'quantized', onNotice: (m) => notices.push(m) });
    assert.deepStrictEqual([r.folder, r.source, r.variant], [local, 'local', 'quantized']);
    assert.strictEqual(hub.requests.length, 0);
    assert.strictEqual(notices.length, 1, 'the choice of the local folder is said, not silent');
    assert.match(notices[0], /Using the local folder .*Xenova\/bert-tiny.* not the Hugging Face model Xenova\/bert-tiny/);
    assert.match(r.label, /local folder/);
  });

  it('without a base folder (the extension host), a Hub id is never served from a same-named folder under the cwd', async () => {
    fs.mkdirSync(path.join(env.home, 'Xenova', 'bert-tiny'), { recursive: true });
    const saved = process.cwd();
    process.chdir(env.home);
    try {
      const r = await resolveModelSpec('Xenova/bert-tiny', { endpoint: hub.endpoint, ...FAST });
      assert.strictEqual(r.source, 'hub');
      await assert.rejects(resolveModelSpec('./Xenova/bert-tiny', { endpoint: hub.endpoint }), (e: any) => {
        assert.strictEqual(e.code, 'MODEL_FOLDER_MISSING');
        assert.match(e.message, /relative path, and there is no folder to resolve it against/);
        assert.match(e.hint, /absolute path/);
        return true;
      });
    } finally {
      process.chdir(saved);
    }
  });

  it('org/name@revision:variant → a verified Hub snapshot with the exact ONNX file for the engine', async () => {
    const r = await resolveModelSpec(`Xenova/bert-tiny@${COMMIT_A}:quantized`, { cwd: env.home, endpoint: hub.endpoint, ...FAST, variant: 'fp16' });
    assert.strictEqual(r.source, 'hub');
    assert.strictEqual(r.commit, COMMIT_A);
    assert.strictEqual(r.variant, 'onnx/model_quantized.onnx');
    assert.strictEqual(r.onnxFile, path.join(r.folder, 'onnx', 'model_quantized.onnx'));
    assert.match(r.label, /^Xenova\/bert-tiny@a+0123.* \(quantized\)$/);
    assert.ok(fs.existsSync(r.onnxFile!));
  });

  it('an unknown id that might have been a folder says neither exists', async () => {
    await assert.rejects(resolveModelSpec('models/bert', { cwd: env.home, endpoint: hub.endpoint, ...FAST }), (e: any) => {
      assert.strictEqual(e.code, 'HUB_NOT_FOUND');
      assert.match(e.hint, /No local folder .*models\/bert exists either/);
      return true;
    });
  });

  it('text that is neither a folder nor an id is a clear error, with no request', async () => {
    await assert.rejects(resolveModelSpec('./not/here/at/all', { cwd: env.home, endpoint: hub.endpoint }), (e: any) => e.code === 'MODEL_FOLDER_MISSING' && /neither an existing folder nor a Hugging Face model id/.test(e.message));
    assert.strictEqual(hub.requests.length, 0);
  });
});
