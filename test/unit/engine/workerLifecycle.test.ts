// The inference worker never takes the process down: disposing mid-run cancels the run and releases the session
// after onnxruntime returns; long inputs do not overflow the worker's stack; onnxruntime's own log stays silent.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { InferenceWorker } from '../../../src/engine/workerClient';
import { ROOT, MODELS, tempDir } from './helpers';

describe('inference worker lifecycle', function () {
  this.timeout(180000);

  it('disposing the engine while a run is in flight rejects it with CANCELLED and the process survives', () => {
    const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'test', 'support', 'disposeMidRun.ts'), tempDir('dispose-cache')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.strictEqual(r.signal, null, `the process died with ${r.signal}; stderr: ${r.stderr.slice(0, 300)}`);
    assert.strictEqual(r.status, 0, r.stderr);
    const rounds = r.stdout.trim().split('\n').map((l) => l.split(' ')[1]);
    assert.strictEqual(rounds.length, 6, r.stdout);
    for (const outcome of rounds) assert.ok(outcome === 'CANCELLED' || outcome === 'finished', `unexpected outcome ${outcome}`);
    assert.ok(rounds.includes('CANCELLED'), 'at least one disposal happened mid-run');
  });

  it('a failing run reports its error and onnxruntime prints nothing of its own', () => {
    const script = `
      const { InferenceWorker } = require(${JSON.stringify(path.join(ROOT, 'src', 'engine', 'workerClient.ts'))});
      (async () => {
        const w = new InferenceWorker(${JSON.stringify(path.join(MODELS, 'bert', 'onnx', 'model.onnx'))});
        await w.load();
        const ids = BigInt64Array.from([101n, 99999999n, 102n]);
        const feeds = ['input_ids', 'attention_mask', 'token_type_ids'].map((name) => ({ name, type: 'int64', data: name === 'input_ids' ? ids : new BigInt64Array(3), dims: [1, 3] }));
        await w.run(feeds, ['last_hidden_state']).then(() => console.log('ran'), (e) => console.log('failed: ' + e.message.slice(0, 40)));
        await w.dispose();
      })();`;
    const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stdout, /^failed: /);
    assert.strictEqual(r.stderr, '', 'onnxruntime wrote to stderr');
  });

  it('dispose() of a worker that never loaded resolves at once', async () => {
    await new InferenceWorker(path.join(MODELS, 'bert', 'onnx', 'model.onnx')).dispose();
  });
});
