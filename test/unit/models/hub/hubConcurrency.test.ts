import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ensureHubModel } from '../../../../src/models/hub/fetchHubModel';
import { acquireFileLock } from '../../../../src/models/hub/hubLock';
import { SharedJobs } from '../../../../src/models/hub/sharedJobs';
import { sha256 } from '../../../support/fakeHub';
import { FAST, fixtureRepo, useFakeHub } from '../../../support/hubFixtures';

describe('Hub downloads running at the same time', () => {
  const id = 'Xenova/bert-tiny';
  const fake = useFakeHub(() => ({ [id]: fixtureRepo('bert') }));
  const opts = () => ({ endpoint: fake.hub.endpoint, ...FAST });
  const blobs = () => path.join(fake.env.cache, 'models--Xenova--bert-tiny', 'blobs');

  it('two concurrent requests for one model make one download of each file', async () => {
    fake.hub.faults.push({ file: 'onnx/model.onnx', method: 'GET', chunkDelayMs: 1 });
    const [a, b] = await Promise.all([ensureHubModel({ id }, opts()), ensureHubModel({ id }, opts())]);
    assert.strictEqual(a, b);
    for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'onnx/model.onnx']) {
      assert.strictEqual(fake.hub.getsOf(file).length, 1, `${file} downloaded once`);
    }
  });

  it('two variants at once share the files they have in common', async () => {
    await Promise.all([ensureHubModel({ id }, opts()), ensureHubModel({ id, variant: 'quantized' }, opts())]);
    assert.strictEqual(fake.hub.getsOf('tokenizer.json').length, 1);
    assert.strictEqual(fake.hub.getsOf('onnx/model.onnx').length, 1);
    assert.strictEqual(fake.hub.getsOf('onnx/model_quantized.onnx').length, 1);
  });

  it('one caller cancelling does not cancel the other', async () => {
    fake.hub.faults.push({ file: 'onnx/model.onnx', method: 'GET', chunkDelayMs: 2 });
    const controller = new AbortController();
    const cancelled = ensureHubModel({ id }, { ...opts(), signal: controller.signal });
    const kept = ensureHubModel({ id }, opts());
    setTimeout(() => controller.abort(), 30);
    await assert.rejects(cancelled, (e: any) => e.code === 'CANCELLED');
    const folder = await kept;
    assert.ok(fs.readFileSync(path.join(folder, 'onnx', 'model.onnx')).equals(fake.hub.repos[id].files['onnx/model.onnx']));
    assert.strictEqual(fake.hub.getsOf('onnx/model.onnx').length, 1);
  });

  it('waits for a lock held by another download, then uses its finished blob without downloading', async () => {
    const bytes = fake.hub.repos[id].files['onnx/model.onnx'];
    const blob = path.join(blobs(), sha256(bytes));
    fs.mkdirSync(blobs(), { recursive: true });
    const release = await acquireFileLock(`${blob}.lock`);
    const run = ensureHubModel({ id }, opts());
    await new Promise((r) => setTimeout(r, 300));
    assert.strictEqual(fake.hub.getsOf('onnx/model.onnx').length, 0, 'nothing is fetched while the lock is held');
    fs.writeFileSync(blob, bytes); // "the other process" finishes
    await release();
    await run;
    assert.strictEqual(fake.hub.getsOf('onnx/model.onnx').length, 0);
  });

  it('takes over a stale lock left by a process that died', async () => {
    const blob = path.join(blobs(), sha256(fake.hub.repos[id].files['onnx/model.onnx']));
    fs.mkdirSync(blobs(), { recursive: true });
    // pid 2^22+ is above Linux's pid_max default range, so no such process exists.
    fs.writeFileSync(`${blob}.lock`, JSON.stringify({ pid: 4_194_999, host: require('os').hostname() }));
    await ensureHubModel({ id }, opts());
    assert.strictEqual(fake.hub.getsOf('onnx/model.onnx').length, 1);
    assert.ok(!fs.existsSync(`${blob}.lock`));
  });

  it('a lock nobody refreshes goes stale after its timeout', async () => {
    const lock = path.join(fake.env.home, 'x.lock');
    fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, host: 'elsewhere' }));
    const old = new Date(Date.now() - 10_000);
    fs.utimesSync(lock, old, old);
    const release = await acquireFileLock(lock, { staleMs: 1000 });
    assert.strictEqual(JSON.parse(fs.readFileSync(lock, 'utf8')).host, require('os').hostname());
    await release();
  });

  it('SharedJobs starts the job once and stops it only when every caller left', async () => {
    const jobs = new SharedJobs<number>();
    let started = 0;
    let aborted = false;
    const start = (signal: AbortSignal) => {
      started++;
      return new Promise<number>((resolve, reject) => {
        const t = setTimeout(() => resolve(42), 200);
        signal.addEventListener('abort', () => {
          aborted = true;
          clearTimeout(t);
          reject(new Error('stopped'));
        });
      });
    };
    const c1 = new AbortController();
    const c2 = new AbortController();
    const cancelled = () => new Error('cancelled');
    const p1 = jobs.run('k', start, { signal: c1.signal, cancelled });
    const p2 = jobs.run('k', start, { signal: c2.signal, cancelled });
    c1.abort();
    await assert.rejects(p1, /cancelled/);
    assert.strictEqual(aborted, false);
    assert.strictEqual(await p2, 42);
    assert.strictEqual(started, 1);
    const p3 = jobs.run('k', start, { signal: c1.signal, cancelled });
    await assert.rejects(p3, /cancelled/);
    assert.strictEqual(started, 1, 'an aborted signal never starts a job');
  });
});
