import * as assert from 'assert';
import { Messenger, type ReplyEnvelope, type RequestEnvelope } from '../../../shared/messenger';

type Envelope = RequestEnvelope | ReplyEnvelope;
type Asks = {
  double: { request: { type: 'double'; value: number }; result: number };
};

/** Two messengers wired back to back, as the host and a webview are; `deliver` can hold messages in flight. */
function pair(options: { hostReady?: boolean; timeoutMs?: number } = {}) {
  const toWebview: Envelope[] = [];
  const toHost: Envelope[] = [];
  const webview = new Messenger<Asks, Asks>({
    post: (m) => toHost.push(m),
    answer: (r) => {
      if (r.value < 0) throw new Error('negative values are not doubled');
      return r.value * 2;
    },
    peer: 'the extension',
    timeoutMs: options.timeoutMs,
  });
  const host = new Messenger<Asks, Asks>({
    post: (m) => toWebview.push(m),
    answer: (r) => r.value * 2,
    resultIsValid: (_type, result) => typeof result === 'number',
    ready: options.hostReady ?? true,
    peer: 'the panel',
    timeoutMs: options.timeoutMs,
  });
  const flush = async () => {
    while (toWebview.length || toHost.length) {
      for (const m of toWebview.splice(0)) await webview.receive(m);
      for (const m of toHost.splice(0)) await host.receive(m);
    }
  };
  return { host, webview, toWebview, toHost, flush };
}

describe('messenger: one request/reply envelope for both sides', () => {
  it('answers a request with the handler result, in either direction', async () => {
    const { host, webview, flush } = pair();
    const fromHost = host.request({ type: 'double', value: 3 });
    const fromWebview = webview.request({ type: 'double', value: 5 });
    await flush();
    assert.strictEqual(await fromHost, 6);
    assert.strictEqual(await fromWebview, 10);
    assert.strictEqual(host.size + webview.size, 0);
  });

  it('turns a handler throw into an error reply that rejects the request with its reason', async () => {
    const { host, flush } = pair();
    const asked = host.request({ type: 'double', value: -1 }, 'Export Heatmap');
    await flush();
    await assert.rejects(asked, /Export Heatmap: negative values are not doubled/);
  });

  it('holds requests until the other side says ready, and resends those it lost when it went away', async () => {
    const { host, toWebview, flush } = pair({ hostReady: false });
    const asked = host.request({ type: 'double', value: 4 });
    assert.strictEqual(toWebview.length, 0, 'nothing is posted to a webview that has not loaded');
    host.setReady(true);
    assert.strictEqual(toWebview.length, 1);
    toWebview.length = 0; // the webview reloads (hidden panel) and drops it
    host.setReady(false);
    host.setReady(true);
    await flush();
    assert.strictEqual(await asked, 8);
  });

  it('times out instead of waiting forever, and ignores the late answer', async () => {
    const { host, toWebview, webview, toHost } = pair({ timeoutMs: 20 });
    const asked = host.request({ type: 'double', value: 1 }, 'Rollout');
    await assert.rejects(asked, /Rollout: no answer from the panel after 0 s/);
    for (const m of toWebview.splice(0)) await webview.receive(m);
    for (const m of toHost.splice(0)) await host.receive(m); // no throw, nobody waits
    assert.strictEqual(host.size, 0);
  });

  it('rejects a malformed result instead of passing it on', async () => {
    const { host, toWebview } = pair();
    const asked = host.request({ type: 'double', value: 2 });
    await host.receive({ type: 'reply', id: (toWebview[0] as RequestEnvelope).id, result: 'not a number' });
    await assert.rejects(asked, /malformed/);
  });

  it('cancels everything still waiting, and rejects when posting throws', async () => {
    const { webview } = pair({ timeoutMs: 1000 });
    const a = webview.request({ type: 'double', value: 1 }, 'A');
    const b = webview.request({ type: 'double', value: 2 }, 'B');
    webview.cancelAll('a new analysis replaced this one');
    await assert.rejects(a, /A: a new analysis replaced this one/);
    await assert.rejects(b, /B: a new analysis/);
    const broken = new Messenger<Asks>({ post: () => { throw new Error('closed'); } });
    await assert.rejects(broken.request({ type: 'double', value: 1 }), /closed/);
    assert.strictEqual(broken.size, 0);
  });

  it('answers an error when a request arrives that this side does not answer', async () => {
    const posted: Envelope[] = [];
    const m = new Messenger<Asks>({ post: (e) => posted.push(e) });
    await m.receive({ type: 'request', id: 9, request: { type: 'double' } });
    assert.deepStrictEqual(posted, [{ type: 'reply', id: 9, error: '"double" is not answered here.' }]);
  });
});
