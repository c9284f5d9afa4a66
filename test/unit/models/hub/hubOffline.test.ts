import * as assert from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { ensureHubModel, fetchHubModel } from '../../../../src/models/hub/fetchHubModel';
import { gitBlobSha1, sha256 } from '../../../support/fakeHub';
import { COMMIT_A, COMMIT_B, FAST, fixtureRepo, useFakeHub } from '../../../support/hubFixtures';

/** Writes a cache entry the way Python's huggingface_hub does: blobs/<etag>, relative symlinks, refs/<rev> without newline. */
function layOutLikePython(cache: string, id: string, commit: string, files: Record<string, Buffer>, ref = 'main'): string {
  const repo = path.join(cache, `models--${id.replace('/', '--')}`);
  const snapshot = path.join(repo, 'snapshots', commit);
  for (const [file, bytes] of Object.entries(files)) {
    const etag = /\.onnx(_data)?$/.test(file) ? sha256(bytes) : gitBlobSha1(bytes);
    fs.mkdirSync(path.join(repo, 'blobs'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'blobs', etag), bytes);
    const pointer = path.join(snapshot, file);
    fs.mkdirSync(path.dirname(pointer), { recursive: true });
    fs.symlinkSync(path.relative(path.dirname(pointer), path.join(repo, 'blobs', etag)), pointer);
  }
  fs.mkdirSync(path.join(repo, 'refs'), { recursive: true });
  fs.writeFileSync(path.join(repo, 'refs', ref), commit);
  return snapshot;
}

/** A port nothing listens on: the "network unreachable" case, answered at once with ECONNREFUSED. */
async function closedPortEndpoint(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

describe('Hub models offline and the cache shared with Python', () => {
  const id = 'Xenova/bert-tiny';
  const fake = useFakeHub(() => ({ [id]: fixtureRepo('bert') }));
  const bert = () => fake.hub.repos[id].files;

  it('resolves a cache laid out by huggingface_hub offline, with no request made', async () => {
    const expected = layOutLikePython(fake.env.cache, id, COMMIT_B, {
      'config.json': bert()['config.json'],
      'tokenizer.json': bert()['tokenizer.json'],
      'onnx/model.onnx': bert()['onnx/model.onnx'],
    });
    process.env.HF_HUB_OFFLINE = '1';
    const snap = await fetchHubModel({ id }, { endpoint: fake.hub.endpoint });
    assert.deepStrictEqual([snap.folder, snap.commit, snap.onnxFile, snap.from], [expected, COMMIT_B, 'onnx/model.onnx', 'cache']);
    assert.strictEqual(fake.hub.requests.length, 0);
  });

  it('finds the cache through HF_HUB_CACHE and a revision given as a commit hash', async () => {
    const elsewhere = path.join(fake.env.home, 'elsewhere');
    const expected = layOutLikePython(elsewhere, id, COMMIT_B, {
      'config.json': bert()['config.json'],
      'tokenizer.json': bert()['tokenizer.json'],
      'onnx/model_quantized.onnx': bert()['onnx/model_quantized.onnx'],
    });
    process.env.HF_HUB_CACHE = elsewhere;
    const folder = await ensureHubModel({ id, revision: COMMIT_B, variant: 'quantized' }, { offline: true, endpoint: fake.hub.endpoint });
    assert.strictEqual(folder, expected);
  });

  it('after our download the layout is what huggingface_hub expects, and offline reuses it without a request', async () => {
    const online = await ensureHubModel({ id }, { endpoint: fake.hub.endpoint, ...FAST });
    const repo = path.join(fake.env.cache, 'models--Xenova--bert-tiny');
    assert.deepStrictEqual(fs.readdirSync(repo).sort(), ['.no_exist', 'blobs', 'refs', 'snapshots']);
    assert.deepStrictEqual(fs.readdirSync(path.join(repo, 'snapshots')), [COMMIT_A]);
    for (const [file, bytes] of Object.entries(bert()).filter(([f]) => f !== 'onnx/model_quantized.onnx')) {
      const link = path.join(online, file);
      const target = fs.readlinkSync(link);
      assert.ok(!path.isAbsolute(target) && target.startsWith('..'), `${file} → ${target} is relative`);
      const etag = /\.onnx$/.test(file) ? sha256(bytes) : gitBlobSha1(bytes);
      assert.strictEqual(path.resolve(path.dirname(link), target), path.join(repo, 'blobs', etag));
    }
    fake.hub.requests.length = 0;
    const offline = await ensureHubModel({ id }, { endpoint: fake.hub.endpoint, offline: true });
    assert.strictEqual(offline, online);
    assert.strictEqual(fake.hub.requests.length, 0);
  });

  it('offline without the model: HUB_OFFLINE_NOT_CACHED naming the model and how to fetch it', async () => {
    await assert.rejects(ensureHubModel({ id, revision: 'v2' }, { endpoint: fake.hub.endpoint, offline: true }), (e: any) => {
      assert.strictEqual(e.code, 'HUB_OFFLINE_NOT_CACHED');
      assert.match(e.message, /Xenova\/bert-tiny@v2 is not in the Hugging Face cache/);
      assert.match(e.message, /HF_HUB_OFFLINE/);
      assert.match(e.hint, /huggingface-cli download Xenova\/bert-tiny --revision v2/);
      return true;
    });
    assert.strictEqual(fake.hub.requests.length, 0);
  });

  it('offline with only another variant cached says which file is missing', async () => {
    layOutLikePython(fake.env.cache, id, COMMIT_B, { 'config.json': bert()['config.json'], 'tokenizer.json': bert()['tokenizer.json'], 'onnx/model.onnx': bert()['onnx/model.onnx'] });
    await assert.rejects(ensureHubModel({ id, variant: 'fp16' }, { offline: true }), (e: any) => e.code === 'HUB_OFFLINE_NOT_CACHED' && /onnx\/model_fp16\.onnx/.test(e.message));
  });

  it('a dangling snapshot link (blob deleted) does not count as cached', async () => {
    const snapshot = layOutLikePython(fake.env.cache, id, COMMIT_B, { 'config.json': bert()['config.json'], 'tokenizer.json': bert()['tokenizer.json'], 'onnx/model.onnx': bert()['onnx/model.onnx'] });
    fs.rmSync(path.resolve(path.dirname(path.join(snapshot, 'onnx/model.onnx')), fs.readlinkSync(path.join(snapshot, 'onnx/model.onnx'))));
    await assert.rejects(ensureHubModel({ id }, { offline: true }), (e: any) => e.code === 'HUB_OFFLINE_NOT_CACHED');
  });

  it('network unreachable: a cached model just works (with a notice); an uncached one gets the offline message', async () => {
    const online = await ensureHubModel({ id }, { endpoint: fake.hub.endpoint, ...FAST });
    const dead = await closedPortEndpoint();
    const notices: string[] = [];
    const folder = await ensureHubModel({ id }, { endpoint: dead, ...FAST, onNotice: (m) => notices.push(m) });
    assert.strictEqual(folder, online);
    assert.match(notices.join('\n'), /Could not reach.*Using the cached copy of Xenova\/bert-tiny/);
    await assert.rejects(ensureHubModel({ id: 'Xenova/other' }, { endpoint: dead, ...FAST }), (e: any) => {
      assert.strictEqual(e.code, 'HUB_OFFLINE_NOT_CACHED');
      assert.match(e.message, /Xenova\/other.*could not be reached.*ECONNREFUSED/);
      return true;
    });
  });
});
