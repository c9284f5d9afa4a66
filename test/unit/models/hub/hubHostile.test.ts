// A hostile or broken Hub cannot make a download endless, hold it forever, write outside the cache, or pass a full
// disk off as a network problem.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ensureHubModel } from '../../../../src/models/hub/fetchHubModel';
import { listRepoFiles } from '../../../../src/models/hub/hubRepoFiles';
import { sha256 } from '../../../support/fakeHub';
import { FAST, fixtureRepo, listTree, useFakeHub } from '../../../support/hubFixtures';

describe('Hub downloads under attack', function () {
  this.timeout(30000);
  const id = 'Xenova/bert-tiny';
  const fake = useFakeHub(() => ({ [id]: fixtureRepo('bert') }));
  const repoDir = () => path.join(fake.env.cache, 'models--Xenova--bert-tiny');
  const onnxBytes = () => fake.hub.repos[id].files['onnx/model.onnx'];
  const opts = () => ({ endpoint: fake.hub.endpoint, ...FAST });

  it('stops reading at the declared size when the server streams forever', async () => {
    fake.hub.faults.push({ file: 'onnx/model.onnx', method: 'GET', endless: true });
    const folder = await ensureHubModel({ id }, opts());
    assert.ok(fs.readFileSync(path.join(folder, 'onnx', 'model.onnx')).equals(onnxBytes()));
    const blobs = fs.readdirSync(path.join(repoDir(), 'blobs'));
    const total = blobs.reduce((sum, b) => sum + fs.statSync(path.join(repoDir(), 'blobs', b)).size, 0);
    assert.ok(total < onnxBytes().length + 200_000, `${total} bytes written to the cache`);
  });

  it('times out a transfer that trickles one byte at a time instead of waiting forever', async () => {
    fake.hub.faults.push({ file: 'onnx/model.onnx', method: 'GET', trickleMs: 50 });
    const started = Date.now();
    await assert.rejects(ensureHubModel({ id }, { ...opts(), retries: 1, timeoutMs: 500 }), (e: any) => {
      assert.strictEqual(e.code, 'HUB_NETWORK');
      assert.match(e.message, /less than 64 KiB in 500 ms/);
      return true;
    });
    assert.ok(Date.now() - started < 10_000);
    assert.deepStrictEqual(listTree(path.join(repoDir(), 'snapshots')), []);
  });

  it('reports a full disk as a full disk, once, without retrying the download', async () => {
    const open = fs.promises.open;
    fs.promises.open = (async (file: fs.PathLike, flags?: string | number, mode?: fs.Mode) => {
      const handle = await open(file, flags, mode);
      if (!String(file).endsWith('.incomplete')) return handle;
      return new Proxy(handle, {
        get: (target, key) =>
          key === 'write'
            ? async () => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }))
            : (target as any)[key]?.bind?.(target) ?? (target as any)[key],
      });
    }) as typeof fs.promises.open;
    try {
      await assert.rejects(ensureHubModel({ id }, opts()), (e: any) => {
        assert.strictEqual(e.code, 'CACHE_UNWRITABLE');
        assert.match(e.message, /the disk is full \(ENOSPC\)/);
        assert.doesNotMatch(`${e.message} ${e.hint}`, /connection|network/i);
        return true;
      });
    } finally {
      fs.promises.open = open;
    }
    assert.strictEqual(fake.hub.getsOf('config.json').length, 1, 'not retried');
  });

  it('refuses a file larger than the free disk space before downloading a byte of it', async () => {
    fake.hub.faults.push({ file: 'onnx/model.onnx', method: 'HEAD', declaredSize: 2 ** 52 });
    await assert.rejects(ensureHubModel({ id }, opts()), (e: any) => {
      assert.strictEqual(e.code, 'CACHE_UNWRITABLE');
      assert.match(e.message, /the disk is full: the file is \d+ MB, \d+ MB are free/);
      return true;
    });
    assert.strictEqual(fake.hub.getsOf('onnx/model.onnx').length, 0);
  });

  it('never writes through a symlink planted as blobs/<sha>.incomplete', async () => {
    const victim = path.join(fake.env.home, 'victim.txt');
    fs.writeFileSync(victim, 'precious');
    const blobs = path.join(repoDir(), 'blobs');
    fs.mkdirSync(blobs, { recursive: true });
    fs.symlinkSync(victim, path.join(blobs, `${sha256(onnxBytes())}.incomplete`));
    const folder = await ensureHubModel({ id }, opts());
    assert.strictEqual(fs.readFileSync(victim, 'utf8'), 'precious');
    assert.ok(fs.readFileSync(path.join(folder, 'onnx', 'model.onnx')).equals(onnxBytes()));
  });

  it('cuts off an endless file listing by size instead of buffering it', async () => {
    fake.hub.apiEndless = true;
    const started = Date.now();
    const files = await listRepoFiles(id, 'main', { endpoint: fake.hub.endpoint, retries: 0, retryDelayMs: 5, timeoutMs: 60_000, id });
    assert.strictEqual(files, undefined);
    assert.ok(Date.now() - started < 20_000, 'stopped by the size bound, not by the minute-long timeout');
  });

  it('never writes through a folder of the cache that was replaced by a symlink (blobs, snapshots)', async () => {
    const elsewhere = path.join(fake.env.home, 'elsewhere');
    fs.mkdirSync(elsewhere);
    fs.mkdirSync(repoDir(), { recursive: true });
    for (const folder of ['blobs', 'snapshots']) {
      fs.rmSync(path.join(repoDir(), 'blobs'), { recursive: true, force: true });
      fs.rmSync(path.join(repoDir(), 'snapshots'), { recursive: true, force: true });
      fs.symlinkSync(elsewhere, path.join(repoDir(), folder));
      await assert.rejects(ensureHubModel({ id }, opts()), (e: any) => {
        assert.strictEqual(e.code, 'CACHE_UNWRITABLE', e.message);
        assert.match(e.message, /is a symbolic link; nothing is written through it/);
        return true;
      });
      assert.deepStrictEqual(fs.readdirSync(elsewhere), [], `nothing written through ${folder}`);
    }
  });

  it('a Hub cache under /proc is reported as unwritable instead of hanging', async () => {
    await assert.rejects(ensureHubModel({ id }, { ...opts(), cacheDir: '/proc/self/attention-lens-hf' }), (e: any) => {
      assert.strictEqual(e.code, 'CACHE_UNWRITABLE', e.message);
      assert.match(e.message, /\/proc\/self\/attention-lens-hf/);
      return true;
    });
  });

  it('refuses variants and file names that leave the repository', async () => {
    for (const variant of ['../../../../evil.onnx', '/tmp/evil.onnx', 'onnx\\..\\..\\evil.onnx', 'onnx/./model.onnx', 'onnx//model.onnx']) {
      await assert.rejects(ensureHubModel({ id, variant }, opts()), (e: any) => {
        assert.strictEqual(e.code, 'BAD_ARGUMENT', `${variant}: ${e.message}`);
        assert.match(e.message, /relative path inside the model/);
        return true;
      });
    }
    assert.deepStrictEqual(fake.hub.requests.filter((r) => r.file?.includes('evil')), []);
    assert.ok(!fs.existsSync(path.join(fake.env.home, 'evil.onnx')));
  });
});
