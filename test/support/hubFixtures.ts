// Test repos built from the committed fixture models, a throwaway cache, and an environment with no HF_* leaking in.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FakeHub, FakeRepo } from './fakeHub';

const MODELS = path.join(__dirname, '..', 'fixtures', 'models');

export const COMMIT_A = 'a'.repeat(8) + '0123456789abcdef0123456789abcdef';
export const COMMIT_B = 'b'.repeat(8) + 'fedcba9876543210fedcba9876543210';

function readTree(folder: string, prefix = ''): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (const d of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, d.name);
    if (d.isDirectory()) Object.assign(files, readTree(full, `${prefix}${d.name}/`));
    else files[`${prefix}${d.name}`] = fs.readFileSync(full);
  }
  return files;
}

/** A Hub repo holding a fixture model folder as is (config.json, tokenizer.json, onnx/model.onnx, ...). */
export function fixtureRepo(name: string, commit = COMMIT_A, extra: Partial<FakeRepo> = {}): FakeRepo {
  return { commit, files: readTree(path.join(MODELS, name)), ...extra };
}

/** The external-data fixture keeps model.onnx at its root; on the Hub it lives under onnx/. */
export function externalDataRepo(commit = COMMIT_A): FakeRepo {
  const files = readTree(path.join(MODELS, 'bert-external-data'));
  for (const f of ['model.onnx', 'model.onnx_data']) {
    files[`onnx/${f}`] = files[f];
    delete files[f];
  }
  return { commit, files };
}

const HF_VARS = ['HF_HOME', 'HF_HUB_CACHE', 'HUGGINGFACE_HUB_CACHE', 'HF_ENDPOINT', 'HF_HUB_OFFLINE', 'HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN', 'HF_TOKEN_PATH', 'XDG_CACHE_HOME'];

/** A temp folder used as HF_HOME, with every HF_* variable cleared; `restore()` puts the environment back and deletes it. */
export function isolatedHubEnv(): { home: string; cache: string; restore: () => void } {
  const saved = new Map(HF_VARS.map((k) => [k, process.env[k]]));
  for (const k of HF_VARS) delete process.env[k];
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'attention-lens-hf-'));
  process.env.HF_HOME = home;
  return {
    home,
    cache: path.join(home, 'hub'),
    restore() {
      for (const [k, v] of saved) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * Around each test of the calling suite: a fresh isolated cache (`env`) and a fake Hub serving `repos()` (`hub`),
 * stopped and removed afterwards. Read them as `fake.hub` / `fake.env` inside the tests.
 */
export function useFakeHub(repos: () => Record<string, FakeRepo>): { readonly hub: FakeHub; readonly env: ReturnType<typeof isolatedHubEnv> } {
  const fake = {} as { hub: FakeHub; env: ReturnType<typeof isolatedHubEnv> };
  beforeEach(async () => {
    fake.env = isolatedHubEnv();
    fake.hub = await new FakeHub(repos()).start();
  });
  afterEach(async () => {
    await fake.hub.stop();
    fake.env.restore();
  });
  return fake;
}

/** Fast retries and short limits so fault tests stay quick. */
export const FAST = { retries: 2, retryDelayMs: 5, timeoutMs: 5000 } as const;

/** Every file under a folder, relative, forward slashes (for "nothing in snapshots" assertions). */
export function listTree(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  const out: string[] = [];
  for (const d of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, d.name);
    if (d.isDirectory()) out.push(...listTree(full).map((f) => `${d.name}/${f}`));
    else out.push(d.name);
  }
  return out.sort();
}
