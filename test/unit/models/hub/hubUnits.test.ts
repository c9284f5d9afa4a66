import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CURATED_MODELS, describeDownloadSize } from '../../../../src/models/curatedModels';
import { hubSettings } from '../../../../src/models/hub/hubEnv';
import { authHeaderFor } from '../../../../src/models/hub/hubHttp';
import { listCachedModels } from '../../../../src/models/hub/hubList';
import { normalizeEtag, resolveUrl } from '../../../../src/models/hub/hubMetadata';
import { HubProgress, ProgressMeter } from '../../../../src/models/hub/hubProgress';
import { isHubId, onnxCandidates, parseHubSpec, variantOfFile } from '../../../../src/models/hub/hubRef';
import { createProgressBar, progressLine } from '../../../../src/cli/progressBar';
import { ensureHubModel } from '../../../../src/models/hub/fetchHubModel';
import { COMMIT_A, FAST, fixtureRepo, useFakeHub } from '../../../support/hubFixtures';

describe('Hub settings from the environment (as huggingface_hub reads them)', () => {
  const base = { HOME: '/home/u' };
  it('defaults: ~/.cache/huggingface/hub, huggingface.co, online, no token', () => {
    const s = hubSettings({}, { ...base, HF_HOME: '/h' });
    assert.deepStrictEqual(s, { endpoint: 'https://huggingface.co', cacheDir: path.join('/h', 'hub'), offline: false, token: undefined });
    assert.strictEqual(hubSettings({}, { XDG_CACHE_HOME: '/x' }).cacheDir, path.join('/x', 'huggingface', 'hub'));
    assert.strictEqual(hubSettings({}, {}).cacheDir, path.join(os.homedir(), '.cache', 'huggingface', 'hub'));
  });
  it('HF_HUB_CACHE beats HF_HOME; HF_ENDPOINT loses its trailing slash; HF_HUB_OFFLINE accepts 1/true/yes/on', () => {
    const s = hubSettings({}, { HF_HOME: '/h', HF_HUB_CACHE: '/c', HF_ENDPOINT: 'https://mirror.example/', HF_HUB_OFFLINE: 'TRUE', HF_TOKEN: ' hf_x ' });
    assert.deepStrictEqual(s, { endpoint: 'https://mirror.example', cacheDir: '/c', offline: true, token: 'hf_x' });
    for (const v of ['1', 'yes', 'on']) assert.strictEqual(hubSettings({}, { HF_HUB_OFFLINE: v }).offline, true);
    for (const v of ['0', 'false', '']) assert.strictEqual(hubSettings({}, { HF_HUB_OFFLINE: v }).offline, false);
  });
  it('explicit options win over the environment; the token file is the last resort', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'al-hfhome-'));
    try {
      fs.writeFileSync(path.join(home, 'token'), 'hf_from_file\n');
      assert.strictEqual(hubSettings({}, { HF_HOME: home }).token, 'hf_from_file');
      assert.strictEqual(hubSettings({}, { HF_HOME: home, HF_TOKEN: 'hf_env' }).token, 'hf_env');
      assert.strictEqual(hubSettings({ token: 'hf_opt', offline: false, cacheDir: '/o' }, { HF_HOME: home, HF_TOKEN: 'hf_env', HF_HUB_OFFLINE: '1' }).token, 'hf_opt');
      assert.strictEqual(hubSettings({ offline: false }, { HF_HUB_OFFLINE: '1' }).offline, false);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('Hub ids, variants and URLs', () => {
  it('parses org/name[@revision][:variant] and rejects other shapes', () => {
    assert.deepStrictEqual(parseHubSpec('Xenova/gpt2@v1.0:quantized'), { id: 'Xenova/gpt2', revision: 'v1.0', variant: 'quantized' });
    assert.deepStrictEqual(parseHubSpec('Xenova/bert-base-uncased'), { id: 'Xenova/bert-base-uncased', revision: undefined, variant: undefined });
    for (const bad of ['gpt2', './x/y', '/abs/path', 'a/b/c', 'a/../b', 'org/--x', 'C:\\models\\bert']) assert.strictEqual(parseHubSpec(bad), undefined, bad);
    assert.ok(isHubId('onnx-community/codebert-base-ONNX'));
  });
  it('maps variants to files, decoders to decoder_model*.onnx, and back', () => {
    assert.deepStrictEqual(onnxCandidates('fp32', false), ['onnx/model.onnx', 'onnx/decoder_model.onnx']);
    assert.deepStrictEqual(onnxCandidates('fp16', true), ['onnx/decoder_model_fp16.onnx', 'onnx/model_fp16.onnx']);
    assert.deepStrictEqual(onnxCandidates('onnx/decoder_model_merged.onnx', false), ['onnx/decoder_model_merged.onnx']);
    assert.throws(() => onnxCandidates('fp8', false), (e: any) => e.code === 'BAD_ARGUMENT' && /quantized/.test(e.hint));
    assert.strictEqual(variantOfFile('onnx/model_quantized.onnx'), 'quantized');
    assert.strictEqual(variantOfFile('onnx/decoder_model.onnx'), 'fp32');
    assert.strictEqual(variantOfFile('onnx/decoder_model_merged.onnx'), undefined);
  });
  it('builds resolve URLs like huggingface_hub (revision fully encoded) and normalizes etags', () => {
    assert.strictEqual(resolveUrl('https://hf.co', 'a/b', 'refs/pr/1', 'onnx/model.onnx'), 'https://hf.co/a/b/resolve/refs%2Fpr%2F1/onnx/model.onnx');
    assert.strictEqual(normalizeEtag('W/"abc"'), 'abc');
    assert.strictEqual(normalizeEtag(null), undefined);
  });
  it('attaches the token only on the endpoint origin (scheme, host and port)', () => {
    const ctx = { endpoint: 'https://huggingface.co', token: 'hf_t' };
    assert.deepStrictEqual(authHeaderFor('https://huggingface.co/x/y/resolve/main/a', ctx), { authorization: 'Bearer hf_t' });
    for (const url of ['https://cdn-lfs.hf.co/x', 'http://huggingface.co/x', 'https://huggingface.co:8443/x', 'https://huggingface.co.evil.example/x']) {
      assert.deepStrictEqual(authHeaderFor(url, ctx), {}, url);
    }
  });
});

describe('Download progress', () => {
  it('throttles events, always reports the last one, and measures speed', () => {
    let t = 0;
    const events: HubProgress[] = [];
    const meter = new ProgressMeter((p) => events.push(p), 'onnx/model.onnx', 2, 3, 100, 3000, () => t);
    for (let i = 1; i <= 10; i++) {
      t += 20;
      meter.update(i * 1000, 10_000);
    }
    assert.ok(events.length < 10 && events.length >= 2, `${events.length} events`);
    const last = events[events.length - 1];
    assert.deepStrictEqual([last.bytes, last.total, last.fileIndex, last.fileCount], [10_000, 10_000, 2, 3]);
    assert.ok(Math.abs(last.bytesPerSecond - 50_000) < 1, `${last.bytesPerSecond} B/s`);
  });
  it('draws a bar on a TTY and stays silent elsewhere', () => {
    const p: HubProgress = { file: 'onnx/model.onnx', bytes: 219_000_000, total: 438_000_000, bytesPerSecond: 12_100_000, fileIndex: 5, fileCount: 5 };
    assert.strictEqual(progressLine(p, 120), 'onnx/model.onnx (5/5) [###############...............]  50%  219.0 MB / 438.0 MB  12.1 MB/s');
    assert.match(progressLine({ ...p, total: undefined }), /^onnx\/model\.onnx \(5\/5\)  219\.0 MB  12\.1 MB\/s$/);
    const written: string[] = [];
    const tty = createProgressBar({ isTTY: true, columns: 80, write: (s: string) => written.push(s) });
    tty.onProgress(p);
    tty.done();
    assert.ok(written[0].startsWith('\r\x1b[2Konnx/model.onnx') && written[0].length <= 80 + 5);
    assert.strictEqual(written[1], '\r\x1b[2K');
    const piped: string[] = [];
    const quiet = createProgressBar({ isTTY: false, write: (s: string) => piped.push(s) });
    quiet.onProgress(p);
    quiet.done();
    assert.deepStrictEqual(piped, []);
  });
});

describe('Curated Hub models', () => {
  it('lists the promised encoders and decoders with sizes, decoders through decoder_model.onnx', () => {
    const ids = CURATED_MODELS.map((m) => m.id);
    for (const id of ['Xenova/bert-base-uncased', 'Xenova/distilbert-base-uncased', 'Xenova/all-MiniLM-L6-v2', 'Xenova/roberta-base', 'Xenova/distilgpt2', 'Xenova/gpt2']) assert.ok(ids.includes(id), id);
    assert.ok(CURATED_MODELS.some((m) => /code/i.test(m.id) && m.kind === 'encoder'));
    for (const id of ['Xenova/opus-mt-en-de', 'Xenova/t5-small']) assert.strictEqual(CURATED_MODELS.find((m) => m.id === id)?.kind, 'encoder-decoder', id);
    assert.ok(CURATED_MODELS.some((m) => /SmolLM2/.test(m.id) && m.kind === 'decoder' && m.onnxFile === 'onnx/model.onnx'), 'a small LLM with a key/value-cache export');
    for (const m of CURATED_MODELS) {
      assert.ok(isHubId(m.id), m.id);
      assert.ok(onnxCandidates('fp32', m.kind === 'decoder', m.kind === 'encoder-decoder').includes(m.onnxFile), `${m.id}: ${m.onnxFile} is among the files a download tries`);
      assert.match(describeDownloadSize(m), /^~\d+ MB/);
    }
  });
});

describe('listCachedModels', () => {
  const fake = useFakeHub(() => ({ 'Xenova/bert-tiny': fixtureRepo('bert'), 'Xenova/gpt2-tiny': fixtureRepo('gpt2') }));

  it('lists what is in the cache with refs, snapshot folders, ONNX files and blob sizes; an absent cache is empty', async () => {
    assert.deepStrictEqual(listCachedModels(path.join(fake.env.home, 'nothing-here')), []);
    await ensureHubModel({ id: 'Xenova/bert-tiny' }, { endpoint: fake.hub.endpoint, ...FAST });
    await ensureHubModel({ id: 'Xenova/bert-tiny', variant: 'quantized' }, { endpoint: fake.hub.endpoint, ...FAST });
    await ensureHubModel({ id: 'Xenova/gpt2-tiny' }, { endpoint: fake.hub.endpoint, ...FAST });
    fs.writeFileSync(path.join(fake.env.cache, 'models--Xenova--bert-tiny', 'blobs', 'junk.incomplete'), Buffer.alloc(1000));
    const models = listCachedModels();
    assert.deepStrictEqual(models.map((m) => m.id), ['Xenova/bert-tiny', 'Xenova/gpt2-tiny']);
    const [bert] = models;
    assert.strictEqual(bert.revisions.length, 1);
    assert.deepStrictEqual([bert.revisions[0].commit, bert.revisions[0].refs], [COMMIT_A, ['main']]);
    assert.deepStrictEqual(bert.revisions[0].onnxFiles, ['onnx/model.onnx', 'onnx/model_quantized.onnx']);
    const files = fake.hub.repos['Xenova/bert-tiny'].files;
    assert.strictEqual(bert.sizeOnDisk, Object.values(files).reduce((n, b) => n + b.length, 0), 'each blob once, partial downloads not counted');
    assert.strictEqual(bert.revisions[0].folder, path.join(fake.env.cache, 'models--Xenova--bert-tiny', 'snapshots', COMMIT_A));
  });
});
