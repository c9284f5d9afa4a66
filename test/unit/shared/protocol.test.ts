import * as assert from 'assert';
import fc from 'fast-check';
import { downsampleMatrix } from '../../../src/analysis/thumbnails';
import { parseFromWebview, parseMatrixView } from '../../../shared/parseMessage';
import { viewFitsModel, viewKey, type MatrixView } from '../../../shared/matrixView';

describe('protocol: webview → host validation', () => {
  const head = { layer: 2, head: 3 };
  const good: unknown[] = [
    { type: 'ready', surface: 'panel' },
    { type: 'ready', surface: 'sidePanel' },
    { type: 'requestMatrix', requestId: 7, view: head },
    { type: 'requestMatrix', requestId: 8, view: { layer: 0, aggregate: 'mean' } },
    { type: 'requestMatrix', requestId: 9, view: { aggregate: 'rollout' } },
    { type: 'requestMatrix', requestId: 9, view: { aggregate: 'rollout', layer: 4 } },
    { type: 'hoverToken', query: 5, view: head, pinned: false },
    { type: 'hoverToken', query: null, view: head, pinned: false },
    { type: 'pinToken', query: 3, view: { layer: 1, aggregate: 'max' } },
    { type: 'viewChanged', view: head },
    { type: 'openHead', layer: 0, head: 11 },
    { type: 'openAnalysis', analysisId: 'a1' },
    { type: 'rerun' },
    { type: 'exportImage', requestId: 1, dataUrl: 'data:image/png;base64,AAAA' },
    { type: 'exportData', requestId: 2, format: 'csv', view: head },
    { type: 'exportData', requestId: 2, format: 'json', view: head },
    { type: 'selectModel' },
    { type: 'log', level: 'error', message: 'boom' },
  ];

  it('accepts every well-formed message and returns the same content', () => {
    for (const m of good) assert.deepStrictEqual(parseFromWebview(m), m, JSON.stringify(m));
  });

  it('drops properties it does not know (the host acts only on validated fields)', () => {
    assert.deepStrictEqual(parseFromWebview({ type: 'rerun', evil: 1 }), { type: 'rerun' });
  });

  const bad: unknown[] = [
    null,
    undefined,
    42,
    'ready',
    [],
    {},
    { type: 'nope' },
    { type: 'ready' },
    { type: 'ready', surface: 'editor' },
    { type: 'requestMatrix', view: head },
    { type: 'requestMatrix', requestId: -1, view: head },
    { type: 'requestMatrix', requestId: 1.5, view: head },
    { type: 'requestMatrix', requestId: 1, view: { layer: -1, head: 0 } },
    { type: 'requestMatrix', requestId: 1, view: { layer: 0.5, head: 0 } },
    { type: 'requestMatrix', requestId: 1, view: { layer: 0 } },
    { type: 'requestMatrix', requestId: 1, view: { layer: 0, head: 1, aggregate: 'mean' } },
    { type: 'requestMatrix', requestId: 1, view: { layer: 0, aggregate: 'median' } },
    { type: 'requestMatrix', requestId: 1, view: { aggregate: 'mean' } },
    { type: 'requestMatrix', requestId: 1, view: { layer: '1', head: 0 } },
    { type: 'hoverToken', query: 1, view: head },
    { type: 'hoverToken', query: -3, view: head, pinned: true },
    { type: 'hoverToken', query: 1, view: null, pinned: true },
    { type: 'openHead', layer: 0 },
    { type: 'openAnalysis', analysisId: '' },
    { type: 'exportImage', requestId: 1, dataUrl: 'javascript:alert(1)' },
    { type: 'exportImage', requestId: 1, dataUrl: 'data:image/svg+xml;base64,AAAA' },
    { type: 'exportData', requestId: 2, format: 'xml', view: head },
    { type: 'log', level: 'fatal', message: 'x' },
    { type: 'log', level: 'info', message: 3 },
  ];

  it('rejects malformed messages', () => {
    for (const m of bad) assert.strictEqual(parseFromWebview(m), undefined, JSON.stringify(m));
  });

  it('never throws, whatever arrives', () => {
    fc.assert(
      fc.property(fc.anything(), (raw) => {
        parseFromWebview(raw);
        parseFromWebview({ type: 'requestMatrix', requestId: 1, view: raw });
      }),
    );
  });

  it('caps log messages so a runaway webview cannot flood the log', () => {
    const parsed = parseFromWebview({ type: 'log', level: 'warn', message: 'x'.repeat(50_000) });
    assert.ok(parsed && parsed.type === 'log' && parsed.message.length === 10_000);
  });
});

describe('protocol: views', () => {
  it('gives every distinct view a distinct cache key', () => {
    const views: MatrixView[] = [
      { layer: 1, head: 2 },
      { layer: 12, head: 0 },
      { layer: 1, aggregate: 'mean' },
      { layer: 1, aggregate: 'max' },
      { aggregate: 'rollout' },
      { aggregate: 'rollout', layer: 1 },
    ];
    assert.strictEqual(new Set(views.map(viewKey)).size, views.length);
  });

  it('checks views against the model shape', () => {
    const model = { layers: 2, heads: 4 };
    assert.ok(viewFitsModel({ layer: 1, head: 3 }, model));
    assert.ok(!viewFitsModel({ layer: 2, head: 0 }, model));
    assert.ok(!viewFitsModel({ layer: 0, head: 4 }, model));
    assert.ok(viewFitsModel({ aggregate: 'rollout' }, model));
    assert.ok(!viewFitsModel({ aggregate: 'rollout', layer: 5 }, model));
  });

  it('parses a rollout view without a layer as "all layers"', () => {
    assert.deepStrictEqual(parseMatrixView({ aggregate: 'rollout' }), { aggregate: 'rollout' });
  });
});

describe('protocol: thumbnails', () => {
  it('mean-pools blocks so each thumbnail keeps the matrix mean', () => {
    const n = 70;
    const m = Float32Array.from({ length: n * n }, (_, i) => (i * 7919) % 13);
    const t = downsampleMatrix(m, n, 32);
    assert.strictEqual(t.length, 32 * 32);
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    // Blocks are 2 or 3 wide, so the pooled mean is close to (not exactly) the full mean.
    assert.ok(Math.abs(mean(t) - mean(m)) < 0.3, `${mean(t)} vs ${mean(m)}`);
  });

  it('keeps small matrices unchanged and pools a diagonal onto the diagonal', () => {
    const id = Float32Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? 1 : 0));
    assert.deepStrictEqual(Array.from(downsampleMatrix(id, 4, 4)), Array.from(id));
    const big = new Float32Array(64 * 64);
    for (let i = 0; i < 64; i++) big[i * 64 + i] = 1;
    const t = downsampleMatrix(big, 64, 32);
    for (let r = 0; r < 32; r++) for (let c = 0; c < 32; c++) assert.strictEqual(t[r * 32 + c], r === c ? 0.5 : 0);
  });
});
