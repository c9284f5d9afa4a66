import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { validateModelFolder } from '../../../../src/engine/modelFolder';
import { HubProgress, ensureHubModel, fetchHubModel } from '../../../../src/models/hub/fetchHubModel';
import { gitBlobSha1, sha256 } from '../../../support/fakeHub';
import { COMMIT_A, FAST, externalDataRepo, fixtureRepo, useFakeHub } from '../../../support/hubFixtures';

describe('Hub download into the huggingface_hub cache', () => {
  const fake = useFakeHub(() => ({
      'Xenova/bert-tiny': fixtureRepo('bert'),
      'Xenova/gpt2-tiny': fixtureRepo('gpt2'),
      'Xenova/bert-external': externalDataRepo(),
      'Xenova/bart-tiny': fixtureRepo('bart'),
    }));
  const repoDir = () => path.join(fake.env.cache, 'models--Xenova--bert-tiny');

  it('lays files out exactly like huggingface_hub: blobs by etag, relative snapshot symlinks, refs/main = commit', async () => {
    const folder = await ensureHubModel({ id: 'Xenova/bert-tiny' }, { endpoint: fake.hub.endpoint, ...FAST });
    assert.strictEqual(folder, path.join(repoDir(), 'snapshots', COMMIT_A));
    assert.strictEqual(fs.readFileSync(path.join(repoDir(), 'refs', 'main'), 'utf8'), COMMIT_A);

    const files = fake.hub.repos['Xenova/bert-tiny'].files;
    const onnxLink = path.join(folder, 'onnx', 'model.onnx');
    assert.ok(fs.lstatSync(onnxLink).isSymbolicLink());
    assert.strictEqual(fs.readlinkSync(onnxLink), path.join('..', '..', '..', 'blobs', sha256(files['onnx/model.onnx'])));
    assert.strictEqual(fs.readlinkSync(path.join(folder, 'config.json')), path.join('..', '..', 'blobs', gitBlobSha1(files['config.json'])));
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'onnx/model.onnx']) {
      assert.ok(fs.readFileSync(path.join(folder, f)).equals(files[f]), `${f} differs from the server's bytes`);
    }
    assert.ok(!fs.existsSync(path.join(folder, 'onnx', 'model_quantized.onnx')), 'only the requested variant is fetched');
    assert.deepStrictEqual(fs.readdirSync(path.join(repoDir(), 'blobs')).filter((b) => /\.(incomplete|lock)$/.test(b)), []);
    const model = await validateModelFolder(folder);
    assert.strictEqual(model.onnxFile, path.join(folder, 'onnx', 'model.onnx'));
  });

  it('an encoder–decoder repo brings its encoder and its decoder, and the engine opens both', async () => {
    const folder = await ensureHubModel({ id: 'Xenova/bart-tiny' }, { endpoint: fake.hub.endpoint, ...FAST });
    const model = await validateModelFolder(folder);
    assert.strictEqual(model.onnxFile, path.join(folder, 'onnx', 'encoder_model.onnx'));
    assert.strictEqual(model.decoderFile, path.join(folder, 'onnx', 'decoder_model.onnx'));
    fake.hub.requests.length = 0;
    const again = await fetchHubModel({ id: 'Xenova/bart-tiny' }, { endpoint: fake.hub.endpoint, ...FAST });
    assert.deepStrictEqual([again.folder, again.onnxFile], [folder, 'onnx/encoder_model.onnx']);
  });

  it('follows the LFS redirect to another origin and reports progress with totals', async () => {
    const events: HubProgress[] = [];
    await ensureHubModel({ id: 'Xenova/bert-tiny' }, { endpoint: fake.hub.endpoint, ...FAST, onProgress: (p) => events.push(p) });
    assert.strictEqual(fake.hub.getsOf('onnx/model.onnx').length, 1);
    assert.strictEqual(fake.hub.getsOf('onnx/model.onnx')[0].server, 'cdn');
    const last = events.filter((e) => e.file === 'onnx/model.onnx').pop()!;
    const size = fake.hub.repos['Xenova/bert-tiny'].files['onnx/model.onnx'].length;
    assert.deepStrictEqual([last.bytes, last.total], [size, size]);
    assert.ok(last.bytesPerSecond >= 0 && last.fileCount >= 1 && last.fileIndex <= last.fileCount);
  });

  it('downloads nothing the second time: HEAD requests only, same folder', async () => {
    const first = await ensureHubModel({ id: 'Xenova/bert-tiny' }, { endpoint: fake.hub.endpoint, ...FAST });
    fake.hub.requests.length = 0;
    const second = await fetchHubModel({ id: 'Xenova/bert-tiny' }, { endpoint: fake.hub.endpoint, ...FAST });
    assert.strictEqual(second.folder, first);
    assert.strictEqual(second.from, 'cache');
    assert.deepStrictEqual(fake.hub.requests.filter((r) => r.method === 'GET'), []);
  });

  it('picks onnx/model_quantized.onnx for the quantized variant, and the decoder graph for GPT-2', async () => {
    const q = await fetchHubModel({ id: 'Xenova/bert-tiny', variant: 'quantized' }, { endpoint: fake.hub.endpoint, ...FAST });
    assert.strictEqual(q.onnxFile, 'onnx/model_quantized.onnx');
    assert.ok(fs.existsSync(path.join(q.folder, 'onnx', 'model_quantized.onnx')));
    const gpt = await fetchHubModel({ id: 'Xenova/gpt2-tiny' }, { endpoint: fake.hub.endpoint, ...FAST });
    assert.strictEqual(gpt.onnxFile, 'onnx/decoder_model.onnx');
    // A decoder's config says so, so the encoder file name is never even asked for.
    assert.deepStrictEqual(fake.hub.requests.filter((r) => r.file === 'onnx/model.onnx' && r.path.includes('gpt2-tiny')), []);
  });

  it('fetches the _data external weights next to the graph and records absent optional files like huggingface_hub', async () => {
    const snap = await fetchHubModel({ id: 'Xenova/bert-external' }, { endpoint: fake.hub.endpoint, ...FAST });
    const data = fake.hub.repos['Xenova/bert-external'].files['onnx/model.onnx_data'];
    assert.ok(fs.readFileSync(path.join(snap.folder, 'onnx', 'model.onnx_data')).equals(data));
    const bert = await fetchHubModel({ id: 'Xenova/bert-tiny' }, { endpoint: fake.hub.endpoint, ...FAST });
    assert.ok(fs.existsSync(path.join(repoDir(), '.no_exist', COMMIT_A, 'onnx', 'model.onnx_data')), 'a 404 _data is remembered in .no_exist');
    assert.ok(!fs.existsSync(path.join(bert.folder, 'onnx', 'model.onnx_data')));
  });

  it('names the variants that exist when the requested one is missing', async () => {
    await assert.rejects(ensureHubModel({ id: 'Xenova/bert-tiny', variant: 'fp16' }, { endpoint: fake.hub.endpoint, ...FAST }), (e: any) => {
      assert.strictEqual(e.code, 'HUB_NOT_FOUND');
      assert.match(e.message, /onnx\/model_fp16\.onnx/);
      assert.match(e.hint, /fp32 \(onnx\/model\.onnx\), quantized \(onnx\/model_quantized\.onnx\)/);
      return true;
    });
    assert.ok(!fs.existsSync(path.join(repoDir(), 'snapshots')), 'a failed request leaves no snapshot behind');
  });

  it('pins later files to the commit the first answer named, and writes refs for a tag', async () => {
    fake.hub.repos['Xenova/bert-tiny'].refs = { 'v1.0': COMMIT_A };
    await ensureHubModel({ id: 'Xenova/bert-tiny', revision: 'v1.0' }, { endpoint: fake.hub.endpoint, ...FAST });
    const resolves = fake.hub.requests.filter((r) => r.server === 'hub' && r.path.includes('/resolve/') && r.method === 'HEAD');
    assert.ok(resolves[0].path.includes('/resolve/v1.0/config.json'));
    assert.deepStrictEqual(resolves.slice(1).filter((r) => !r.path.includes(`/resolve/${COMMIT_A}/`)).map((r) => r.path), [], "later files asked for by commit");
    assert.strictEqual(fs.readFileSync(path.join(repoDir(), 'refs', 'v1.0'), 'utf8'), COMMIT_A);
  });
});
