// `npx tsx scripts/hubComparison/compare.ts`: runs the Hub fault scenarios of test/unit/hub against this project's
// client (src/models/hub) and against @huggingface/hub's downloadFileToCacheDir, on the same FakeHub, and prints a
// markdown table (README "Dependencies" quotes it) and scripts/hubComparison/results.json.
import * as fs from 'fs';
import * as path from 'path';
import { scanCacheDir } from '@huggingface/hub';
import { ensureHubModel } from '../../src/models/hub/fetchHubModel';
import { listCachedModels } from '../../src/models/hub/hubList';
import { FakeHub, type Fault } from '../../test/support/fakeHub';
import { COMMIT_A, FAST, fixtureRepo, isolatedHubEnv } from '../../test/support/hubFixtures';
import { officialDownload } from './officialClient';

type Client = 'ours' | 'official';
interface Verdict { pass: boolean; detail: string }
interface Context { hub: FakeHub; env: ReturnType<typeof isolatedHubEnv>; client: Client }

const ID = 'Xenova/bert-tiny';
const GATED = 'Xenova/gated';
const TOKEN = 'hf_secret_123';
const FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'onnx/model.onnx'];
const ONNX = 'onnx/model.onnx';

/** Downloads the model with either client; resolves to the snapshot folder. */
async function download(ctx: Context, opts: { id?: string; token?: string; signal?: AbortSignal } = {}): Promise<string> {
  const id = opts.id ?? ID;
  if (ctx.client === 'ours') {
    return ensureHubModel({ id }, { endpoint: ctx.hub.endpoint, ...FAST, token: opts.token, signal: opts.signal });
  }
  const paths = await officialDownload(ctx.hub, id, FILES, { cacheDir: ctx.env.cache, accessToken: opts.token, signal: opts.signal });
  return path.dirname(paths[0]);
}

function exactBytes(ctx: Context, folder: string, id = ID): boolean {
  return FILES.every((f) => fs.existsSync(path.join(folder, f)) && fs.readFileSync(path.join(folder, f)).equals(ctx.hub.repos[id].files[f]));
}

const repoDir = (ctx: Context, id = ID) => path.join(ctx.env.cache, `models--${id.replace('/', '--')}`);
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').slice(0, 140);
/**
 * A fault for the CDN's GET of the ONNX file. FakeHub hands a matching fault to the first matching request; the
 * official client GETs the resolve URL on the Hub first (ours sends HEAD there), so it gets a no-op fault for that hop.
 */
function cdnFault(ctx: Context, fault: Omit<Fault, 'file' | 'method'>): void {
  if (ctx.client === 'official') ctx.hub.faults.push({ file: ONNX, method: 'GET', times: 1 });
  ctx.hub.faults.push({ file: ONNX, method: 'GET', ...fault });
}
const cdnGets = (ctx: Context) => ctx.hub.requests.filter((r) => r.server === 'cdn' && r.method === 'GET' && r.file === ONNX);

const scenarios: Record<string, (ctx: Context) => Promise<Verdict>> = {
  'clean download in the Python cache layout (blobs/, snapshots/<commit>/, refs/main)': async (ctx) => {
    const folder = await download(ctx);
    const refs = path.join(repoDir(ctx), 'refs', 'main');
    const refOk = fs.existsSync(refs) && fs.readFileSync(refs, 'utf8').trim() === COMMIT_A;
    const snapshotOk = path.basename(folder) === COMMIT_A || path.basename(path.dirname(folder)) === COMMIT_A;
    const ok = exactBytes(ctx, folder) && refOk && snapshotOk;
    return { pass: ok, detail: ok ? 'exact bytes, refs/main written' : `bytes ${exactBytes(ctx, folder)}, refs/main ${refOk}, snapshot ${snapshotOk}` };
  },
  'resume after a dropped connection': async (ctx) => {
    cdnFault(ctx, { times: 1, dropAfterBytes: 100_000 });
    try {
      const folder = await download(ctx);
      const ranges = cdnGets(ctx).map((r) => r.range ?? 'none');
      return { pass: exactBytes(ctx, folder), detail: `succeeded; CDN GETs with Range: ${ranges.join(', ')}` };
    } catch (e) {
      const before = cdnGets(ctx).length;
      const again = await download(ctx).then(() => 'a second call succeeded', (e2) => `a second call failed too: ${errorText(e2)}`);
      const resumed = cdnGets(ctx).slice(before).some((r) => r.range && /^bytes=[1-9]/.test(r.range));
      return { pass: false, detail: `failed: ${errorText(e)}; ${again}, ${resumed ? 'resuming with Range' : 'from byte 0 (no resume)'}` };
    }
  },
  'checksum: corrupted bytes are refused': async (ctx) => {
    ctx.hub.faults.push({ file: ONNX, method: 'GET', corrupt: true });
    try {
      const folder = await download(ctx);
      return { pass: false, detail: `accepted: ${ONNX} ${exactBytes(ctx, folder) ? 'intact' : 'differs from the Hub\'s sha256'} in the snapshot` };
    } catch (e) {
      const linked = fs.existsSync(path.join(repoDir(ctx), 'snapshots', COMMIT_A, ONNX));
      return { pass: !linked, detail: `refused: ${errorText(e)}` };
    }
  },
  '404: unknown model': async (ctx) => {
    try {
      await download(ctx, { id: 'nobody/no-such-model' });
      return { pass: false, detail: 'no error' };
    } catch (e) {
      return { pass: /not found|404/i.test(errorText(e)), detail: errorText(e) };
    }
  },
  '401: gated model without a token': async (ctx) => {
    try {
      await download(ctx, { id: GATED });
      return { pass: false, detail: 'no error' };
    } catch (e) {
      return { pass: /401|token|auth/i.test(errorText(e)), detail: errorText(e) };
    }
  },
  '5xx: two 500s from the CDN, then success': async (ctx) => {
    cdnFault(ctx, { status: 500, times: 2 });
    try {
      const folder = await download(ctx);
      return { pass: exactBytes(ctx, folder), detail: `succeeded after ${cdnGets(ctx).length} CDN GETs` };
    } catch (e) {
      return { pass: false, detail: `failed on the first 500: ${errorText(e)}` };
    }
  },
  'cancellation mid-download': async (ctx) => {
    ctx.hub.faults.push({ file: ONNX, method: 'GET', chunkDelayMs: 5 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = Date.now();
    try {
      await download(ctx, { signal: controller.signal });
      return { pass: false, detail: 'finished despite the abort' };
    } catch (e) {
      const ms = Date.now() - started;
      const linked = fs.existsSync(path.join(repoDir(ctx), 'snapshots', COMMIT_A, ONNX));
      const how = ctx.client === 'official' ? ' (no signal option: aborted through a custom fetch)' : '';
      return { pass: !linked && ms < 2_000, detail: `stopped after ${ms} ms${how}: ${errorText(e)}` };
    }
  },
  'two concurrent downloads of one model': async (ctx) => {
    ctx.hub.faults.push({ file: ONNX, method: 'GET', chunkDelayMs: 1 });
    const results = await Promise.allSettled([download(ctx), download(ctx)]);
    const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    if (failed.length > 0) return { pass: false, detail: `${failed.length} of 2 failed: ${errorText(failed[0].reason)}` };
    const folders = (results as PromiseFulfilledResult<string>[]).map((r) => r.value);
    const ok = folders.every((f) => exactBytes(ctx, f));
    const gets = cdnGets(ctx).length;
    return { pass: ok && gets === 1, detail: `${ok ? 'exact bytes' : 'bytes differ'}, ${ONNX} downloaded ${gets}×` };
  },
  'offline (HF_HUB_OFFLINE=1, Hub unreachable) after a download': async (ctx) => {
    await download(ctx);
    await ctx.hub.stop();
    process.env.HF_HUB_OFFLINE = '1';
    const count = ctx.hub.requests.length;
    try {
      const folder = await download(ctx);
      return { pass: exactBytes(ctx, folder) && ctx.hub.requests.length === count, detail: 'served from the cache' };
    } catch (e) {
      return { pass: false, detail: `failed: ${errorText(e)}` };
    }
  },
  'token sent to the endpoint only, never to the CDN': async (ctx) => {
    await download(ctx, { id: GATED, token: TOKEN });
    const cdn = ctx.hub.requests.filter((r) => r.server === 'cdn');
    const leaked = cdn.filter((r) => r.authorization !== undefined).length;
    const hubAuthed = ctx.hub.requests.filter((r) => r.server === 'hub').every((r) => r.authorization === `Bearer ${TOKEN}`);
    return { pass: leaked === 0 && hubAuthed && cdn.length > 0, detail: `${leaked} of ${cdn.length} CDN requests carried the token` };
  },
  'cache listing for the model picker: id, commit, refs, files, bytes on disk': async (ctx) => {
    await download({ ...ctx, client: 'ours' });
    const blobBytes = fs.readdirSync(path.join(repoDir(ctx), 'blobs')).reduce((n, b) => n + fs.statSync(path.join(repoDir(ctx), 'blobs', b)).size, 0);
    let listed: { id: string; commit: string; refs: string[]; files: string[]; size: number }[];
    if (ctx.client === 'ours') {
      listed = listCachedModels(ctx.env.cache).map((m) => ({ id: m.id, commit: m.revisions[0].commit, refs: m.revisions[0].refs, files: m.revisions[0].files, size: m.sizeOnDisk }));
    } else {
      const info = await scanCacheDir(ctx.env.cache);
      listed = info.repos.map((r) => ({
        id: r.id.name, commit: r.revisions[0].commitOid, refs: r.revisions[0].refs,
        files: r.revisions[0].files.map((f) => path.relative(r.revisions[0].path, f.path).split(path.sep).join('/')).sort(), size: r.size,
      }));
    }
    const ok = listed.length === 1 && listed[0].id === ID && listed[0].commit === COMMIT_A && listed[0].refs.join() === 'main'
      && listed[0].files.join() === [...FILES].sort().join() && listed[0].size === blobBytes;
    return { pass: ok, detail: ok ? `1 model, ${FILES.length} files, ${blobBytes} bytes` : JSON.stringify(listed.map((l) => ({ ...l, files: l.files.length }))) };
  },
};

async function run(name: string, client: Client): Promise<Verdict> {
  const env = isolatedHubEnv();
  const hub = await new FakeHub({ [ID]: fixtureRepo('bert'), [GATED]: fixtureRepo('bert', undefined, { token: TOKEN }) }).start();
  try {
    return await scenarios[name]({ hub, env, client });
  } catch (e) {
    return { pass: false, detail: `error: ${errorText(e)}` };
  } finally {
    await hub.stop().catch(() => undefined);
    env.restore();
  }
}

async function main(): Promise<void> {
  // The official client logs "Downloading …" with console.debug for every file; keep the table readable.
  console.debug = () => undefined;
  const packageFile = path.join(__dirname, '..', '..', 'node_modules', '@huggingface', 'hub', 'package.json');
  const official = JSON.parse(fs.readFileSync(packageFile, 'utf8')).version;
  const rows: { scenario: string; ours: Verdict; official: Verdict }[] = [];
  for (const name of Object.keys(scenarios)) rows.push({ scenario: name, ours: await run(name, 'ours'), official: await run(name, 'official') });
  const mark = (v: Verdict) => `${v.pass ? 'pass' : '**fail**'}: ${v.detail.replace(/\|/g, '\\|')}`;
  console.log(`| Scenario (FakeHub) | Attention Lens client | @huggingface/hub ${official} downloadFileToCacheDir |`);
  console.log('|---|---|---|');
  for (const row of rows) console.log(`| ${row.scenario} | ${mark(row.ours)} | ${mark(row.official)} |`);
  fs.writeFileSync(path.join(__dirname, 'results.json'), JSON.stringify({ officialVersion: official, node: process.version, rows }, null, 2) + '\n');
}

void main();
