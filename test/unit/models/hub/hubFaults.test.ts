import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ensureHubModel } from '../../../../src/models/hub/fetchHubModel';
import { sha256 } from '../../../support/fakeHub';
import { FAST, fixtureRepo, listTree, useFakeHub } from '../../../support/hubFixtures';

describe('Hub download faults', () => {
  const id = 'Xenova/bert-tiny';
  const fake = useFakeHub(() => ({ [id]: fixtureRepo('bert'), 'Xenova/gated': fixtureRepo('bert', undefined, { token: 'hf_secret_123' }) }));
  const repoDir = () => path.join(fake.env.cache, 'models--Xenova--bert-tiny');
  const onnxBytes = () => fake.hub.repos[id].files['onnx/model.onnx'];
  const opts = () => ({ endpoint: fake.hub.endpoint, ...FAST });

  it('resumes a dropped download with Range and ends with the exact bytes', async () => {
    fake.hub.faults.push({ file: 'onnx/model.onnx', method: 'GET', times: 1, dropAfterBytes: 100_000 });
    const folder = await ensureHubModel({ id }, opts());
    const gets = fake.hub.getsOf('onnx/model.onnx');
    assert.strictEqual(gets.length, 2);
    assert.strictEqual(gets[0].range, undefined);
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(gets[1].range ?? '')?.[1]);
    assert.ok(resumedAt > 0 && resumedAt <= 100_000, `second request resumes from the bytes kept (${gets[1].range})`);
    assert.ok(fs.readFileSync(path.join(folder, 'onnx', 'model.onnx')).equals(onnxBytes()));
  });

  it('resumes from a .incomplete left by an earlier run (another process, a crash)', async () => {
    const blobs = path.join(repoDir(), 'blobs');
    fs.mkdirSync(blobs, { recursive: true });
    fs.writeFileSync(path.join(blobs, `${sha256(onnxBytes())}.incomplete`), onnxBytes().subarray(0, 5000));
    const folder = await ensureHubModel({ id }, opts());
    assert.strictEqual(fake.hub.getsOf('onnx/model.onnx')[0].range, 'bytes=5000-');
    assert.ok(fs.readFileSync(path.join(folder, 'onnx', 'model.onnx')).equals(onnxBytes()));
  });

  it('gives up after a bounded number of drops with HUB_NETWORK and keeps the partial file only in blobs/', async () => {
    fake.hub.faults.push({ file: 'onnx/model.onnx', method: 'GET', dropAfterBytes: 1000 });
    await assert.rejects(ensureHubModel({ id }, opts()), (e: any) => e.code === 'HUB_NETWORK' && /onnx\/model\.onnx/.test(e.message) && /resumes/.test(e.hint));
    assert.strictEqual(fake.hub.getsOf('onnx/model.onnx').length, FAST.retries + 1);
    assert.deepStrictEqual(listTree(path.join(repoDir(), 'snapshots')), []);
    assert.ok(fs.existsSync(path.join(repoDir(), 'blobs', `${sha256(onnxBytes())}.incomplete`)));
  });

  it('retries 500/502/503 with backoff a bounded number of times, then says the Hub failed', async () => {
    fake.hub.faults.push({ file: 'config.json', method: 'HEAD', status: 503 });
    await assert.rejects(ensureHubModel({ id }, opts()), (e: any) => {
      assert.strictEqual(e.code, 'HUB_SERVER_ERROR');
      assert.match(e.message, /config\.json.*Xenova\/bert-tiny.*503.*3 attempts/);
      return true;
    });
    assert.strictEqual(fake.hub.requests.filter((r) => r.file === 'config.json').length, FAST.retries + 1);
  });

  it('recovers when a 500 on the CDN clears before the retries run out', async () => {
    fake.hub.faults.push({ file: 'onnx/model.onnx', method: 'GET', status: 500, times: 2 });
    const folder = await ensureHubModel({ id }, opts());
    assert.strictEqual(fake.hub.getsOf('onnx/model.onnx').length, 3);
    assert.ok(fs.readFileSync(path.join(folder, 'onnx', 'model.onnx')).equals(onnxBytes()));
  });

  it('discards a download whose sha256 does not match X-Linked-Etag, and links nothing', async () => {
    fake.hub.faults.push({ file: 'onnx/model.onnx', method: 'GET', corrupt: true });
    await assert.rejects(ensureHubModel({ id }, opts()), (e: any) => e.code === 'HUB_CHECKSUM_MISMATCH' && /onnx\/model\.onnx/.test(e.message) && /discarded/.test(e.message));
    const blobs = fs.readdirSync(path.join(repoDir(), 'blobs'));
    assert.ok(!blobs.some((b) => b.startsWith(sha256(onnxBytes()))), `no trace of the bad file: ${blobs}`);
    assert.deepStrictEqual(listTree(path.join(repoDir(), 'snapshots')), []);
    assert.ok(!fs.existsSync(path.join(repoDir(), 'refs', 'main')));
  });

  it('rejects a small file whose size differs from Content-Length', async () => {
    fake.hub.faults.push({ file: 'tokenizer.json', method: 'GET', dropAfterBytes: 10 });
    // Every attempt is cut short, so the size never matches and nothing is used.
    await assert.rejects(ensureHubModel({ id }, opts()), (e: any) => e.code === 'HUB_NETWORK');
    assert.deepStrictEqual(listTree(path.join(repoDir(), 'snapshots')), []);
  });

  it('cancels mid-download: CANCELLED, nothing in snapshots/, the .incomplete stays for a resume', async () => {
    fake.hub.faults.push({ file: 'onnx/model.onnx', method: 'GET', chunkDelayMs: 5 });
    const controller = new AbortController();
    const run = ensureHubModel({ id }, { ...opts(), signal: controller.signal, onProgress: (p) => p.file === 'onnx/model.onnx' && p.bytes > 20_000 && controller.abort() });
    await assert.rejects(run, (e: any) => e.code === 'CANCELLED');
    assert.deepStrictEqual(listTree(path.join(repoDir(), 'snapshots')), []);
    const blobs = path.join(repoDir(), 'blobs');
    const partial = path.join(blobs, `${sha256(onnxBytes())}.incomplete`);
    assert.ok(fs.statSync(partial).size < onnxBytes().length);
    assert.ok(!fs.existsSync(path.join(blobs, `${sha256(onnxBytes())}.lock`)), 'the lock is released');
    // A later run picks it up from where it stopped.
    fake.hub.faults.length = 0;
    await ensureHubModel({ id }, opts());
    assert.match(fake.hub.getsOf('onnx/model.onnx').pop()!.range ?? '', /^bytes=[1-9]\d*-$/);
  });

  it('an already aborted signal makes no request at all', async () => {
    await assert.rejects(ensureHubModel({ id }, { ...opts(), signal: AbortSignal.abort() }), (e: any) => e.code === 'CANCELLED');
    assert.strictEqual(fake.hub.requests.length, 0);
  });

  it('404 for an unknown model says it was not found and how ids look', async () => {
    await assert.rejects(ensureHubModel({ id: 'nobody/no-such-model' }, opts()), (e: any) => {
      assert.strictEqual(e.code, 'HUB_NOT_FOUND');
      assert.match(e.message, /nobody\/no-such-model was not found/);
      assert.match(e.hint, /org\/name/);
      return true;
    });
  });

  it('404 for an unknown revision names the revision', async () => {
    await assert.rejects(ensureHubModel({ id, revision: 'v9' }, opts()), (e: any) => e.code === 'HUB_NOT_FOUND' && /Revision "v9" of Xenova\/bert-tiny/.test(e.message));
  });

  it('401 on a gated model without a token asks for one (VS Code command and HF_TOKEN)', async () => {
    await assert.rejects(ensureHubModel({ id: 'Xenova/gated' }, opts()), (e: any) => {
      assert.strictEqual(e.code, 'HUB_UNAUTHORIZED');
      assert.match(e.message, /Xenova\/gated needs a Hugging Face token \(401\)/);
      assert.match(e.hint, /Attention Lens: Set Hugging Face Token/);
      assert.match(e.hint, /HF_TOKEN/);
      return true;
    });
  });

  it('403 with a wrong token says the token was refused, without ever printing it', async () => {
    await assert.rejects(ensureHubModel({ id: 'Xenova/gated' }, { ...opts(), token: 'hf_wrong_token_987' }), (e: any) => {
      assert.strictEqual(e.code, 'HUB_UNAUTHORIZED');
      assert.match(e.message, /refused the token.*403/);
      assert.ok(!`${e.message} ${e.hint} ${e.stack}`.includes('hf_wrong_token_987'));
      return true;
    });
  });

  it('sends HF_TOKEN as a Bearer token to the endpoint only, never to the CDN it redirects to', async () => {
    process.env.HF_TOKEN = 'hf_secret_123';
    await ensureHubModel({ id: 'Xenova/gated' }, opts());
    const hubReqs = fake.hub.requests.filter((r) => r.server === 'hub');
    const cdnReqs = fake.hub.requests.filter((r) => r.server === 'cdn');
    assert.ok(hubReqs.length > 0 && cdnReqs.length > 0);
    assert.ok(hubReqs.every((r) => r.authorization === 'Bearer hf_secret_123'));
    assert.ok(cdnReqs.every((r) => r.authorization === undefined), 'the token must not leave the endpoint origin');
  });

  it('reads the token from $HF_HOME/token like huggingface-cli login', async () => {
    fs.writeFileSync(path.join(fake.env.home, 'token'), 'hf_secret_123\n');
    await ensureHubModel({ id: 'Xenova/gated' }, opts());
    assert.ok(fake.hub.requests.filter((r) => r.server === 'hub').every((r) => r.authorization === 'Bearer hf_secret_123'));
  });
});
