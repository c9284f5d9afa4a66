import * as assert from 'assert';
import type { MatrixResultMessage } from '../../../../shared/messages';
import { MatrixCache } from '../../../../webview/panel/matrixCache';
import { PendingRequests } from '../../../../webview/common/pendingRequests';

describe('webview pending requests', () => {
  it('resolves with the response carrying its request id', async () => {
    const p = new PendingRequests(1000);
    let id = -1;
    const promise = p.send<MatrixResultMessage>((requestId) => (id = requestId), 'Layer 1');
    assert.ok(p.handle({ type: 'matrixResult', requestId: id, view: { layer: 0, head: 0 }, n: 1, data: new Float32Array(1) }));
    const res = await promise;
    assert.ok('data' in res && res.n === 1);
    assert.strictEqual(p.size, 0);
  });

  it('rejects with the host error message', async () => {
    const p = new PendingRequests(1000);
    let id = -1;
    const promise = p.send((requestId) => (id = requestId), 'Layer 3');
    p.handle({ type: 'matrixResult', requestId: id, error: 'layer out of range' });
    await assert.rejects(promise, /Layer 3: layer out of range/);
  });

  it('times out instead of hanging, and ignores a late answer', async () => {
    const p = new PendingRequests(20);
    let id = -1;
    await assert.rejects(p.send((requestId) => (id = requestId), 'Rollout'), /no answer from the extension/);
    assert.strictEqual(p.handle({ type: 'exportResult', requestId: id, savedTo: null }), false);
  });

  it('cancels everything when a new analysis arrives', async () => {
    const p = new PendingRequests(1000);
    const a = p.send(() => undefined, 'A');
    const b = p.send(() => undefined, 'B');
    p.cancelAll('replaced');
    await assert.rejects(a, /replaced/);
    await assert.rejects(b, /replaced/);
  });

  it('rejects when posting itself throws', async () => {
    const p = new PendingRequests(1000);
    await assert.rejects(p.send(() => { throw new Error('closed'); }, 'X'), /closed/);
    assert.strictEqual(p.size, 0);
  });
});

describe('webview matrix cache', () => {
  it('evicts the least recently used matrices beyond its byte budget', () => {
    const c = new MatrixCache(3 * 400);
    const m = () => new Float32Array(100);
    c.set('a', m());
    c.set('b', m());
    c.set('c', m());
    c.get('a');
    c.set('d', m());
    assert.ok(c.get('a') && c.get('c') && c.get('d'));
    assert.strictEqual(c.get('b'), undefined);
    assert.strictEqual(c.size, 3);
  });

  it('keeps a single matrix larger than the budget (the one on screen)', () => {
    const c = new MatrixCache(10);
    c.set('big', new Float32Array(100));
    assert.ok(c.get('big'));
  });
});
