// Picking a Hub model in the extension: fetched and checked before the setting changes; a model that cannot be
// downloaded leaves the previous one in place with one short message meant for an extension user.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { checkHubModel, pickerFailureMessage, switchToHubModel } from '../../../src/models/hubChoice';
import { AttentionLensError } from '../../../src/engine/errors';
import { hubOfflineNotCached } from '../../../src/models/hub/hubErrors';
import { FakeHub } from '../../support/fakeHub';
import { FAST, fixtureRepo, isolatedHubEnv } from '../../support/hubFixtures';
import { BROKEN } from '../engine/helpers';

describe('choosing a Hub model in the picker', function () {
  this.timeout(30000);
  let hub: FakeHub;
  let env: ReturnType<typeof isolatedHubEnv>;
  let stored: [string, string | undefined][];
  const deps = (endpoint: string) => ({
    check: (spec: string, variant: string | undefined) => checkHubModel(spec, variant, { endpoint, ...FAST }),
    store: async (spec: string, variant: string | undefined) => void stored.push([spec, variant]),
  });

  beforeEach(async () => {
    env = isolatedHubEnv();
    stored = [];
    const fused = fixtureRepo('bert');
    fused.files['onnx/model.onnx'] = fs.readFileSync(path.join(BROKEN, 'fused-attention', 'onnx', 'model.onnx'));
    hub = await new FakeHub({ 'Xenova/bert-tiny': fixtureRepo('bert'), 'Xenova/fused': fused }).start();
  });
  afterEach(async () => {
    await hub.stop();
    env.restore();
  });

  it('stores the choice only after the model is downloaded and checked', async () => {
    const outcome = await switchToHubModel('Xenova/bert-tiny', 'quantized', 'bundled model', deps(hub.endpoint));
    assert.ok(outcome.ok);
    assert.deepStrictEqual(stored, [['Xenova/bert-tiny', 'quantized']]);
    assert.ok(fs.existsSync(path.join(outcome.model.folder, 'onnx', 'model_quantized.onnx')));
  });

  it('an unreachable Hub stores nothing and says so in one short sentence, keeping the previous model', async () => {
    const endpoint = hub.endpoint;
    await hub.stop();
    const outcome = await switchToHubModel('Xenova/bert-tiny', undefined, 'bundled model', deps(endpoint));
    assert.ok(!outcome.ok);
    assert.deepStrictEqual(stored, []);
    assert.match(outcome.message, /^Could not reach the Hugging Face Hub to download Xenova\/bert-tiny; check your connection\. Still using bundled model\.$/);
    hub = await new FakeHub({}).start();
  });

  it('a model that is missing or cannot show attention stores nothing; the message has no terminal advice', async () => {
    for (const spec of ['Xenova/missing', 'Xenova/fused']) {
      const outcome = await switchToHubModel(spec, undefined, 'bert-tiny', deps(hub.endpoint));
      assert.ok(!outcome.ok, spec);
      assert.match(outcome.message, new RegExp(`^Could not use ${spec}: .* Still using bert-tiny\\.$`));
      assert.doesNotMatch(outcome.message, /attention-lens |huggingface-cli|HF_HUB_OFFLINE|`/);
    }
    assert.deepStrictEqual(stored, []);
  });

  it('offline advice names offline mode only when it is on, and never a CLI command', () => {
    const offline = pickerFailureMessage(hubOfflineNotCached('Xenova/x', 'main', '/c', 'HF_HUB_OFFLINE is set, so nothing is downloaded'), 'Xenova/x', 'bundled model');
    assert.strictEqual(offline, 'Xenova/x is not downloaded yet, and offline mode (HF_HUB_OFFLINE) is on. Still using bundled model.');
    const unreachable = pickerFailureMessage(hubOfflineNotCached('Xenova/x', 'main', '/c', 'the Hub could not be reached (ECONNREFUSED)'), 'Xenova/x', 'bundled model');
    assert.doesNotMatch(unreachable, /HF_HUB_OFFLINE|attention-lens|huggingface-cli/);
    const gated = pickerFailureMessage(new AttentionLensError('HUB_UNAUTHORIZED', 'Xenova/x needs a Hugging Face token (401).', 'on the command line set HF_TOKEN'), 'Xenova/x', 'bundled model');
    assert.match(gated, /Set Hugging Face Token/);
    assert.doesNotMatch(gated, /command line/);
  });
});
