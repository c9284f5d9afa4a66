import * as assert from 'assert';
import fc from 'fast-check';
import { panelResultIsValid, parseFromWebview } from '../../../shared/parseMessage';

describe('parseMessage: webview → host validation', () => {
  const head = { layer: 2, head: 3 };
  const reading = { granularity: 'tokens', direction: 'attendsTo' };
  const good: unknown[] = [
    { type: 'ready' },
    { type: 'request', id: 7, request: { type: 'requestMatrix', view: head, granularity: 'tokens' } },
    { type: 'request', id: 8, request: { type: 'requestMatrix', view: { layer: 0, aggregate: 'mean' }, granularity: 'words' } },
    { type: 'request', id: 9, request: { type: 'requestMatrix', view: { aggregate: 'rollout' }, granularity: 'identifiers' } },
    { type: 'request', id: 9, request: { type: 'requestMatrix', view: { aggregate: 'rollout', layer: 4 }, granularity: 'lines' } },
    { type: 'request', id: 10, request: { type: 'requestGroups', granularity: 'lines' } },
    { type: 'request', id: 11, request: { type: 'requestOverview', view: { layer: 2, aggregate: 'max' } } },
    { type: 'request', id: 12, request: { type: 'requestTile', view: head, queries: { start: 8000, end: 8192 }, keys: { start: 0, end: 40 } } },
    { type: 'hoverQuery', query: 5, view: head, reading },
    { type: 'hoverQuery', query: null, view: head, reading: { granularity: 'words', direction: 'attendedBy' } },
    { type: 'pinQuery', query: 3, view: { layer: 1, aggregate: 'max' }, reading },
    { type: 'querySpan', span: [2, 3, 4], view: head, reading },
    { type: 'querySpan', span: null, view: head, reading },
    { type: 'viewChanged', view: head },
    { type: 'openHead', layer: 0, head: 11 },
    { type: 'openAnalysis', analysisId: 'a1' },
    { type: 'rerun' },
    { type: 'request', id: 1, request: { type: 'exportImage', format: 'png', dataUrl: 'data:image/png;base64,AAAA', view: head, granularity: 'tokens' } },
    { type: 'request', id: 1, request: { type: 'exportImage', format: 'svg', figure: { title: [] }, view: head, granularity: 'lines' } },
    { type: 'request', id: 2, request: { type: 'exportData', format: 'csv', scope: 'view', view: head, granularity: 'tokens' } },
    { type: 'request', id: 2, request: { type: 'exportData', format: 'json', scope: 'all', view: head, granularity: 'words' } },
    { type: 'request', id: 2, request: { type: 'exportData', format: 'html', scope: 'all', view: head, granularity: 'tokens' } },
    { type: 'reply', id: 3, result: { dataUrl: 'data:image/png;base64,AAAA' } },
    { type: 'reply', id: 4, error: 'no heatmap yet' },
    { type: 'selectModel' },
    { type: 'log', level: 'error', message: 'boom' },
    { type: 'request', id: 10, request: { type: 'requestMatrix', view: head, granularity: 'tokens', weighting: 'value-norm' } },
    { type: 'request', id: 11, request: { type: 'requestMatrix', view: head, granularity: 'tokens', weighting: 'weights' } },
    { type: 'request', id: 12, request: { type: 'compareHeads', a: head, b: { layer: 0, head: 1 } } },
    { type: 'request', id: 13, request: { type: 'compareEdit', head } },
    { type: 'request', id: 14, request: { type: 'compareModel', head } },
    { type: 'openGuide' },
  ];

  it('accepts every well-formed message and returns the same content', () => {
    for (const m of good) assert.deepStrictEqual(parseFromWebview(m), m, JSON.stringify(m));
  });

  it('drops properties it does not know (the host acts only on validated fields)', () => {
    assert.deepStrictEqual(parseFromWebview({ type: 'rerun', evil: 1 }), { type: 'rerun' });
  });

  const bad: unknown[] = [
    { type: 'request', id: 13, request: { type: 'requestTile', view: head, queries: { start: 9, end: 9 }, keys: { start: 0, end: 4 } } },
    { type: 'request', id: 14, request: { type: 'requestTile', view: head, queries: { start: -1, end: 3 }, keys: { start: 0, end: 4 } } },
    { type: 'request', id: 15, request: { type: 'requestTile', view: head, queries: { start: 0, end: 3 } } },
    { type: 'request', id: 16, request: { type: 'requestOverview', view: { layer: 0 } } },
    null,
    undefined,
    42,
    'ready',
    [],
    {},
    { type: 'nope' },
    { type: 'requestMatrix', view: head },
    { type: 'request', request: { type: 'requestMatrix', view: head } },
    { type: 'request', id: -1, request: { type: 'requestMatrix', view: head } },
    { type: 'request', id: 1.5, request: { type: 'requestMatrix', view: head } },
    { type: 'request', id: 1, request: { type: 'renderPng' } },
    { type: 'request', id: 1, request: { type: 'requestMatrix', view: { layer: -1, head: 0 } } },
    { type: 'request', id: 1, request: { type: 'requestMatrix', view: { layer: 0.5, head: 0 } } },
    { type: 'request', id: 1, request: { type: 'requestMatrix', view: { layer: 0 } } },
    { type: 'request', id: 1, request: { type: 'requestMatrix', view: { layer: 0, head: 1, aggregate: 'mean' } } },
    { type: 'request', id: 1, request: { type: 'requestMatrix', view: { layer: 0, aggregate: 'median' } } },
    { type: 'request', id: 1, request: { type: 'requestMatrix', view: head, granularity: 'sentences' } },
    { type: 'hoverQuery', query: 1, view: head, reading: { granularity: 'words', direction: 'sideways' } },
    { type: 'querySpan', span: [1, -2], view: head, reading },
    { type: 'request', id: 1, request: { type: 'exportData', format: 'csv', scope: 'some', view: head, granularity: 'tokens' } },
    { type: 'request', id: 1, request: { type: 'exportImage', format: 'svg', figure: 'x', view: head, granularity: 'tokens' } },
    { type: 'request', id: 1, request: { type: 'requestMatrix', view: { aggregate: 'mean' } } },
    { type: 'request', id: 1, request: { type: 'requestMatrix', view: { layer: '1', head: 0 } } },
    { type: 'reply', id: 'x', result: 1 },
    { type: 'reply', id: 1, error: 42 },
    { type: 'hoverQuery', query: -3, view: head },
    { type: 'hoverQuery', query: 1, view: null },
    { type: 'openHead', layer: 0 },
    { type: 'openAnalysis', analysisId: '' },
    { type: 'request', id: 1, request: { type: 'exportImage', dataUrl: 'javascript:alert(1)' } },
    { type: 'request', id: 1, request: { type: 'exportImage', dataUrl: 'data:image/svg+xml;base64,AAAA' } },
    { type: 'request', id: 2, request: { type: 'exportData', format: 'xml', view: head } },
    { type: 'log', level: 'fatal', message: 'x' },
    { type: 'log', level: 'info', message: 3 },
    { type: 'request', id: 1, request: { type: 'requestMatrix', view: head, weighting: 'norm' } },
    { type: 'request', id: 1, request: { type: 'compareHeads', a: head } },
    { type: 'request', id: 1, request: { type: 'compareHeads', a: head, b: { layer: 0, aggregate: 'mean' } } },
    { type: 'request', id: 1, request: { type: 'compareEdit', head: { layer: -1, head: 0 } } },
  ];

  it('rejects malformed messages', () => {
    for (const m of bad) assert.strictEqual(parseFromWebview(m), undefined, JSON.stringify(m));
  });

  it('never throws, whatever arrives', () => {
    fc.assert(
      fc.property(fc.anything(), (raw) => {
        parseFromWebview(raw);
        parseFromWebview({ type: 'request', id: 1, request: { type: 'requestMatrix', view: raw } });
        parseFromWebview({ type: 'request', id: 1, request: raw });
        panelResultIsValid('renderPng', raw);
      }),
    );
  });

  it('caps log messages so a runaway webview cannot flood the log', () => {
    const parsed = parseFromWebview({ type: 'log', level: 'warn', message: 'x'.repeat(50_000) });
    assert.ok(parsed && parsed.type === 'log' && parsed.message.length === 10_000);
  });

  it('accepts a rendered PNG from the panel only as a PNG data URL', () => {
    assert.ok(panelResultIsValid('renderPng', { dataUrl: 'data:image/png;base64,AAAA' }));
    assert.ok(!panelResultIsValid('renderPng', { dataUrl: 'javascript:alert(1)' }));
    assert.ok(!panelResultIsValid('renderPng', null));
    assert.ok(!panelResultIsValid('requestMatrix', { dataUrl: 'data:image/png;base64,AAAA' }));
  });
});
