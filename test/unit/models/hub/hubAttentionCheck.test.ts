import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { AttentionLensError } from '../../../../src/engine/errors';
import { ensureHubModel } from '../../../../src/models/hub/fetchHubModel';
import { FakeHub } from '../../../support/fakeHub';
import { FAST, fixtureRepo, isolatedHubEnv } from '../../../support/hubFixtures';

describe('Hub models: can the downloaded graph show attention?', () => {
  let hub: FakeHub;
  let env: ReturnType<typeof isolatedHubEnv>;

  beforeEach(async () => {
    env = isolatedHubEnv();
    const gpt = fixtureRepo('gpt2');
    // A repo like Xenova/gpt2: the plain decoder plus a merged one (stand-in bytes; the check is replaced below).
    gpt.files['onnx/decoder_model_merged.onnx'] = Buffer.from(gpt.files['onnx/decoder_model.onnx']).reverse();
    const broken = fixtureRepo('bert');
    broken.files['onnx/model.onnx'] = Buffer.from('this is not an ONNX protobuf at all');
    hub = await new FakeHub({ 'Xenova/gpt2-tiny': gpt, 'Xenova/broken': broken }).start();
  });
  afterEach(async () => {
    await hub.stop();
    env.restore();
  });

  it("runs the engine's graph inspection after a download (a non-ONNX file is reported, not used silently)", async () => {
    await assert.rejects(ensureHubModel({ id: 'Xenova/broken' }, { endpoint: hub.endpoint, ...FAST }), (e: any) => e.code === 'ONNX_INVALID');
  });

  it('passes the real plain decoder graph', async () => {
    const folder = await ensureHubModel({ id: 'Xenova/gpt2-tiny' }, { endpoint: hub.endpoint, ...FAST });
    assert.ok(fs.existsSync(path.join(folder, 'onnx', 'decoder_model.onnx')));
  });

  it('a merged decoder is downloaded but refused, naming onnx/decoder_model.onnx instead', async () => {
    const mergedCheck = async (file: string) => {
      if (file.endsWith('decoder_model_merged.onnx')) {
        throw new AttentionLensError('ATTENTION_IN_SUBGRAPH', 'decoder_model_merged.onnx computes attention only inside If subgraphs.', 'engine hint', file);
      }
    };
    await assert.rejects(
      ensureHubModel({ id: 'Xenova/gpt2-tiny', variant: 'onnx/decoder_model_merged.onnx' }, { endpoint: hub.endpoint, ...FAST, checkAttention: mergedCheck }),
      (e: any) => {
        assert.strictEqual(e.code, 'ATTENTION_IN_SUBGRAPH');
        assert.match(e.message, /Xenova\/gpt2-tiny: onnx\/decoder_model_merged\.onnx was downloaded, but it cannot show attention/);
        assert.strictEqual(e.hint, 'Pick onnx/decoder_model.onnx instead (variant fp32).');
        return true;
      },
    );
  });

  it('a fused-attention export names the plain file when the repo has it', async () => {
    const fused = async (file: string) => {
      throw new AttentionLensError('FUSED_ATTENTION', `${path.basename(file)} uses a fused com.microsoft.Attention operator.`, 'engine hint', file);
    };
    await assert.rejects(ensureHubModel({ id: 'Xenova/gpt2-tiny', variant: 'onnx/decoder_model_merged.onnx' }, { endpoint: hub.endpoint, ...FAST, checkAttention: fused }), (e: any) => {
      assert.strictEqual(e.code, 'FUSED_ATTENTION');
      assert.match(e.hint, /onnx\/decoder_model\.onnx/);
      return true;
    });
  });
});
