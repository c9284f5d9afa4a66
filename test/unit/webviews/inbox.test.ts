import * as assert from 'assert';
import type { FromWebviewMessage } from '../../../shared/messages';
import { preview, receiveWebviewMessage } from '../../../src/webviews/inbox';

function recorder() {
  const lines: string[] = [];
  return { lines, log: { warn: (m: string) => lines.push(`warn ${m}`), error: (m: string) => lines.push(`error ${m}`) } };
}

describe('messages from a webview', () => {
  it('hands well-formed messages to the handler', async () => {
    const got: FromWebviewMessage[] = [];
    const { lines, log } = recorder();
    const reading = { granularity: 'tokens', direction: 'attendsTo' } as const;
    await receiveWebviewMessage({ type: 'hoverQuery', query: 3, view: { layer: 1, head: 2 }, reading }, 'panel', (m) => got.push(m), log);
    assert.deepStrictEqual(got, [{ type: 'hoverQuery', query: 3, view: { layer: 1, head: 2 }, reading }]);
    assert.deepStrictEqual(lines, []);
  });

  it('drops malformed messages with a log line, never reaching the handler', async () => {
    const { lines, log } = recorder();
    const bad: unknown[] = [
      null,
      'ready',
      { type: 'request', id: -1, request: { type: 'requestMatrix', view: { layer: 0, head: 0 } } },
      { type: 'hoverQuery', query: 1.5, view: { layer: 0, head: 0 } },
      { type: 'request', id: 1, request: { type: 'exportImage', dataUrl: 'javascript:alert(1)' } },
      { type: 'request', id: 1, request: { type: 'requestMatrix', view: { layer: 0, head: 0, aggregate: 'mean' } } },
      { type: 'unknown' },
    ];
    for (const raw of bad) await receiveWebviewMessage(raw, 'panel', () => assert.fail(`handled ${JSON.stringify(raw)}`), log);
    assert.strictEqual(lines.length, bad.length);
    assert.ok(lines.every((l) => l.startsWith('warn Ignored a malformed message from the panel')));
  });

  it('logs a failing handler instead of rejecting', async () => {
    const { lines, log } = recorder();
    await receiveWebviewMessage({ type: 'rerun' }, 'panel', () => Promise.reject(new Error('boom')), log);
    assert.ok(lines[0].startsWith('error Handling "rerun" from the panel failed: Error: boom'));
  });

  it('previews untrusted values briefly, even circular ones', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    assert.strictEqual(preview(circular), '[object Object]');
    assert.strictEqual(preview({ s: 'x'.repeat(500) }).length, 201);
  });
});
