// Stands in for the extension host in a plain browser: provides acquireVsCodeApi, answers the ready handshake
// and matrix requests (in the messenger's envelope) with random row-normalised matrices (deterministic per view), like the real host would.
// Query parameters: n (tokens, default 512), layers, heads (12), theme (dark|light|high-contrast), seed (0); target=T
// adds an encoder–decoder's target of T tokens (decoder: 2 layers × 4 heads; target token t looks at source token t+1);
// continuation=k marks the last k tokens as generated.
// n over 2,048: a long analysis; the panel asks for overviews and tiles, answered from longWeight (exact by formula).
// window.__host.newAnalysis(n, seed) sends another analysis to the same panel; initMessage(id) is the init it sends.
(function () {
  const params = new URLSearchParams(location.search);
  const n = Number(params.get('n')) || 512;
  const layers = Number(params.get('layers')) || 12;
  const heads = Number(params.get('heads')) || 12;
  const theme = params.get('theme') || 'dark';
  document.body.classList.add(`vscode-${theme}`);

  function mulberry32(seed) {
    return function () {
      seed |= 0;
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  const words = 'the model reads every token and asks which earlier words matter most for the next step of its own computation'.split(' ');

  // An encoder–decoder's target: '</s>' then German-ish words; cross-attention row t peaks on source token t+1.
  const targetCount = Number(params.get('target')) || 0;
  const continuation = Number(params.get('continuation')) || 0;
  const decoder = { layers: 2, heads: 4, crossHeads: 4 };
  const targetTokens = [{ text: '</s>', start: 0, end: 0, special: true }];
  let targetText = '';
  const targetWords = 'das modell liest jedes wort und fragt welche früheren wörter zählen'.split(' ');
  while (targetTokens.length < targetCount) {
    const w = targetWords[(targetTokens.length - 1) % targetWords.length];
    if (targetText.length > 0) targetText += ' ';
    targetTokens.push({ text: w, start: targetText.length, end: targetText.length + w.length, special: false });
    targetText += w;
  }
  function partMatrix(view) {
    const t = targetTokens.length;
    const keys = view.part === 'cross' ? current.n : t;
    const m = new Float32Array(t * keys);
    for (let q = 0; q < t; q++) {
      const peak = view.part === 'cross' ? Math.min(q + 1, current.n - 1) : q;
      for (let k = 0; k < keys; k++) m[q * keys + k] = view.part === 'decoder' && k > q ? 0 : k === peak ? 0.8 : 0.2 / keys;
    }
    return { view, granularity: 'tokens', n: keys, data: m, ...(keys !== t ? { queries: t } : {}) };
  }

  /** Tokens, text and a pool of row-normalised matrices for an analysis of `size` tokens (deterministic). */
  function makeAnalysis(size, seedBase) {
    const rand = mulberry32(7 + seedBase);
    const tokens = [{ text: '[CLS]', start: 0, end: 0, special: true }];
    let text = '';
    while (tokens.length < size - 1) {
      const w = words[Math.floor(rand() * words.length)];
      if (text.length > 0) text += tokens.length % 17 === 0 ? '\n' : ' ';
      tokens.push({ text: w, start: text.length, end: text.length + w.length, special: false });
      text += w;
    }
    tokens.push({ text: '[SEP]', start: text.length, end: text.length, special: true });
    // A pool of matrices generated once, so answering a request costs what the real host's copy costs.
    // A long analysis (over 2,048 tokens) has no whole matrices: the panel asks for overviews and tiles (longWeight).
    const pool = size > LONG_TOKENS ? [] : Array.from({ length: 6 }, (_, i) => makeMatrix(size, i + 1 + seedBase));
    return { n: size, tokens, text, pool };
  }

  // Long analyses: weights defined per cell so the stub answers overviews in O(cells²) and tiles exactly.
  // Head (l, h): query q gives 0.6 to key q − off (off = 1 + (l·heads + h) mod 3), 0.3 to key 0, and elsewhere a
  // texture f(cell) · g(offset in cell) with g = 1 at the cell's first token, so a cell's max is exactly known.
  const LONG_TOKENS = 2048;
  const poolTile = (size) => Math.max(1, Math.floor((size + 255) / 256));
  const texture = (l, h, Q, K) => 0.002 + 0.05 * ((((Q * 73856093) ^ (K * 19349663) ^ ((l * heads + h + 1) * 83492791)) >>> 0) % 100) / 100;
  function longWeight(l, h, q, k, T) {
    if (k === q - 1 - ((l * heads + h) % 3)) return 0.6;
    if (k === 0) return 0.3;
    const a = q % T;
    const b = k % T;
    return texture(l, h, Math.floor(q / T), Math.floor(k / T)) * (a === 0 && b === 0 ? 1 : (((a * 7 + b * 13) % 10) / 10) * 0.9);
  }
  function longHeadOverview(l, h) {
    const size = current.n;
    const T = poolTile(size);
    const cells = Math.ceil(size / T);
    const off = 1 + ((l * heads + h) % 3);
    const out = new Float32Array(cells * cells);
    for (let Q = 0; Q < cells; Q++)
      for (let K = 0; K < cells; K++) {
        const q0 = Q * T, q1 = Math.min(size, q0 + T), k0 = K * T, k1 = Math.min(size, k0 + T);
        const diag = Math.max(q0 - off, k0, 0) < Math.min(q1 - off, k1);
        out[Q * cells + K] = diag ? 0.6 : K === 0 ? 0.3 : texture(l, h, Q, K);
      }
    return out;
  }
  const headsOf = (view) => ('head' in view ? [view.head] : Array.from({ length: heads }, (_, h) => h));
  /** Per-element max or mean over the view's heads (one head: itself), as the real host pools them. */
  function overHeads(view, one) {
    const parts = headsOf(view).map(one);
    if (parts.length === 1) return parts[0];
    const out = new Float32Array(parts[0].length);
    for (const p of parts) for (let i = 0; i < out.length; i++) out[i] = view.aggregate === 'mean' ? out[i] + p[i] / parts.length : Math.max(out[i], p[i]);
    return out;
  }
  function longOverview(view) {
    const T = poolTile(current.n);
    const data = overHeads(view, (h) => longHeadOverview(view.layer, h));
    return { view, n: current.n, tile: T, cells: Math.ceil(current.n / T), pooling: 'head' in view || view.aggregate === 'max' ? 'max' : 'mean-of-max', data };
  }
  function longTile(view, queries, keys) {
    const T = poolTile(current.n);
    const width = keys.end - keys.start;
    const data = overHeads(view, (h) => {
      const out = new Float32Array((queries.end - queries.start) * width);
      for (let q = queries.start; q < queries.end; q++) for (let k = keys.start; k < keys.end; k++) out[(q - queries.start) * width + k - keys.start] = longWeight(view.layer, h, q, k, T);
      return out;
    });
    return { view, queries, keys, data };
  }

  function makeMatrix(size, seed) {
    const r = mulberry32(seed);
    const m = new Float32Array(size * size);
    const offset = 1 + (seed % 3);
    for (let q = 0; q < size; q++) {
      let sum = 0;
      for (let k = 0; k < size; k++) {
        let v = Math.pow(r(), 6);
        if (k === q - offset || k === 0) v += 2 + 4 * r();
        // Every third matrix has an attention sink: column 0 takes most of every row.
        if (k === 0 && seed % 3 === 0) v += 20;
        m[q * size + k] = v;
        sum += v;
      }
      for (let k = 0; k < size; k++) m[q * size + k] /= sum;
    }
    return m;
  }
  let current = makeAnalysis(n, Number(params.get('seed')) || 0);
  const { tokens, text, pool } = current;
  const keyOf = (v) => ('head' in v ? v.layer * heads + v.head : v.aggregate === 'rollout' ? 1000 + (v.layer ?? 0) : 2000 + v.layer * 2 + (v.aggregate === 'max' ? 1 : 0));

  // Groups as the real host makes them (shared/granularity.ts), for this text of one token per word: words and
  // identifiers are the tokens themselves, lines join the tokens of each line; specials stay alone.
  function groupsOf(granularity) {
    const { tokens, text } = current;
    if (granularity !== 'lines') return tokens.map((t) => [t]);
    const out = [];
    let line = -1;
    for (const t of tokens) {
      const at = t.special ? -2 : text.slice(0, t.start).split('\n').length;
      if (t.special || at !== line) out.push([t]);
      else out[out.length - 1].push(t);
      line = t.special ? -1 : at;
    }
    return out;
  }
  function merged(m, groups) {
    const index = new Map();
    groups.forEach((g, gi) => g.forEach((t) => index.set(t, gi)));
    const { tokens, n } = current;
    const of = tokens.map((t) => index.get(t));
    const g = groups.length;
    const out = new Float32Array(g * g);
    let q = 0;
    groups.forEach((members, a) => {
      for (const _ of members) {
        for (let k = 0; k < n; k++) out[a * g + of[k]] += m[q * n + k] / members.length;
        q++;
      }
    });
    return out;
  }
  const groupTokens = (group) => {
    const first = group[0];
    const last = group[group.length - 1];
    return { text: first.special ? first.text : current.text.slice(first.start, last.end), start: first.start, end: last.end, special: first.special };
  };

  const send = (data) => setTimeout(() => window.dispatchEvent(new MessageEvent('message', { data })), 0);
  let state;
  // Each harness page loads one webview bundle: the page says which one is talking.
  const surface = location.pathname.endsWith('sidePanel.html') ? 'sidePanel' : 'panel';
  window.__sent = [];
  function initMessage(analysisId) {
    return {
      type: 'init',
      analysisId,
      model: { name: targetCount ? 'harness-bart' : 'harness-bert', layers, heads, causal: false, ...(targetCount ? { decoder } : {}) },
      text: current.text,
      tokens: current.tokens,
      n: current.n,
      hideSpecialTokens: params.get('hideSpecial') !== '0',
      colorScale: params.get('scale') || 'sqrt',
      stale: params.get('stale') === '1',
      view: { layer: 0, head: 0 },
      truncated: false,
      figureTitle: ['main.py, lines 1–30', 'harness-bert'],
      selectedLength: current.text.length,
      ...(targetCount ? { target: { text: targetText, tokens: targetTokens, generated: params.get('generated') === '1' } } : {}),
      ...(continuation ? { continuation: { firstToken: current.n - continuation } } : {}),
    };
  }
  let analyses = 1;
  /** A new analysis of `size` tokens shown in the same panel, as after Show Attention on another selection. */
  function newAnalysis(size, seedBase) {
    current = makeAnalysis(size, seedBase);
    send(initMessage(`harness-${++analyses}`));
  }
  window.__host = { n, layers, heads, tokens, text, send, newAnalysis, initMessage, current: () => current, longWeight, poolTile };
  window.acquireVsCodeApi = function () {
    return {
      getState: () => state,
      setState: (s) => (state = s),
      postMessage(msg) {
        window.__sent.push(msg);
        if (msg.type === 'ready' && surface === 'panel') {
          // Kept so a test can send it again, as the host does when a hidden panel's page loads again.
          send((window.__host.init = initMessage('harness-1')));
          send({ type: 'panelFeatures', analysisId: 'harness-1', valueNorm: { available: true } });
        } else if (msg.type === 'ready' && surface === 'sidePanel') {
          const size = Math.min(n, 32);
          const data = new Float32Array(layers * heads * size * size);
          for (let l = 0; l < layers; l++)
            for (let h = 0; h < heads; h++) {
              const m = pool[(l * heads + h) % pool.length];
              const base = (l * heads + h) * size * size;
              for (let r = 0; r < size; r++)
                for (let c = 0; c < size; c++) {
                  let s = 0;
                  const r0 = Math.floor((r * n) / size), r1 = Math.floor(((r + 1) * n) / size);
                  const c0 = Math.floor((c * n) / size), c1 = Math.floor(((c + 1) * n) / size);
                  for (let q = r0; q < r1; q++) for (let k = c0; k < c1; k++) s += m[q * n + k];
                  data[base + r * size + c] = s / ((r1 - r0) * (c1 - c0));
                }
            }
          send({
            type: 'sidePanelState',
            // noModel=1: nothing loaded yet; the host then names the configured model.
            model: params.get('noModel') === '1' ? null : { name: 'harness-bert', layers, heads, causal: false },
            configuredModel: params.get('noModel') === '1' ? 'Xenova/bert-base-uncased' : undefined,
            recent: [
              { analysisId: 'harness-1', label: 'main.py · the model reads every token', modelName: 'harness-bert', tokenCount: n, createdAt: Date.now() },
              { analysisId: 'harness-0', label: 'README.md · Attention Lens shows', modelName: 'harness-bert', tokenCount: 42, createdAt: Date.now() - 60000 },
            ],
            currentAnalysisId: 'harness-1',
            shownHead: { layer: 2, head: 7 },
          });
          send({ type: 'thumbnails', analysisId: 'harness-1', layers, heads, size, data });
          // Head finder: layer 1 head 4 (1-based) is the previous-token head, layer 3 head 2 the bracket head.
          const columns = ['entropy', 'previousToken', 'brackets', 'induction'].map((name) => ({ name, label: name === 'previousToken' ? 'Prev. token' : name[0].toUpperCase() + name.slice(1), description: `what ${name} measures` }));
          const rows = [];
          for (let l = 0; l < layers; l++)
            for (let h = 0; h < heads; h++) {
              const prev = l === 0 && h === 3 ? 0.95 : ((l * heads + h) % 7) / 10;
              const brackets = l === 2 && h === 1 ? 0.9 : ((l + h) % 5) / 10;
              rows.push({ layer: l, head: h, scores: [1 + ((l * 3 + h) % 11) / 10, prev, brackets, null] });
            }
          send({ type: 'headFinder', analysisId: 'harness-1', status: 'ready', columns, rows, notes: ['Induction and duplicate apply to causal (decoder) models only.'] });
        } else if (msg.type === 'request' && msg.request.type === 'requestMatrix' && msg.request.view.part) {
          send({ type: 'reply', id: msg.id, result: partMatrix(msg.request.view) });
        } else if (msg.type === 'request' && msg.request.type === 'requestMatrix') {
          const { view, granularity } = msg.request;
          const { pool } = current;
          let data = pool[keyOf(view) % pool.length].slice();
          // Value norm: each key column scaled by its (made-up) value norm 1 + k mod 4, unnormalised.
          if (msg.request.weighting === 'value-norm') for (let i = 0; i < data.length; i++) data[i] *= 1 + ((i % current.n) % 4);
          if (granularity === 'lines') data = merged(data, groupsOf('lines'));
          send({ type: 'reply', id: msg.id, result: { view, granularity, n: Math.round(Math.sqrt(data.length)), data } });
        } else if (msg.type === 'request' && msg.request.type === 'requestOverview') {
          send({ type: 'reply', id: msg.id, result: longOverview(msg.request.view) });
        } else if (msg.type === 'request' && msg.request.type === 'requestTile') {
          const { view, queries, keys } = msg.request;
          send({ type: 'reply', id: msg.id, result: longTile(view, queries, keys) });
        } else if (msg.type === 'request' && msg.request.type === 'requestGroups') {
          const { granularity } = msg.request;
          send({ type: 'reply', id: msg.id, result: { granularity, groups: groupsOf(granularity).map(groupTokens) } });
        } else if (msg.type === 'request' && msg.request.type === 'compareHeads') {
          const { a, b } = msg.request;
          const same = a.layer === b.layer && a.head === b.head;
          const { n, pool } = current;
          send({ type: 'reply', id: msg.id, result: { n, a: pool[keyOf(a) % pool.length].slice(), b: pool[keyOf(b) % pool.length].slice(), distance: same ? 0 : 0.42 } });
        } else if (msg.type === 'request' && (msg.request.type === 'compareEdit' || msg.request.type === 'compareModel')) {
          if (msg.request.type === 'compareModel') {
            send({ type: 'reply', id: msg.id, error: 'No other model yet: run "Attention Lens: Compare With Another Model…" for this analysis first.' });
            return;
          }
          if (!window.__host.edited) {
            send({ type: 'reply', id: msg.id, error: 'No earlier analysis of this text: edit the analysed text, Re-run, then compare (the analysis before the edit is kept).' });
            return;
          }
          const { n, pool } = current;
          const after = pool[keyOf(msg.request.head) % pool.length].slice();
          const before = pool[(keyOf(msg.request.head) + 1) % pool.length].slice();
          for (let i = 0; i < n; i++) before[5 * n + i] = before[i * n + 5] = NaN; // token 5 was typed in the edit
          const ranking = [];
          for (let l = 0; l < layers; l++) for (let h = 0; h < heads; h++) ranking.push({ layer: l, head: h, distance: 1 / (2 + l * heads + h) });
          send({ type: 'reply', id: msg.id, result: { beforeLabel: 'main.py · before', granularity: 'character', notes: ['The texts differ: compared the unchanged characters around the edit.'], n, after, before, ranking } });
        } else if (msg.type === 'request' && (msg.request.type === 'exportImage' || msg.request.type === 'exportData')) {
          const ext = msg.request.format;
          send({ type: 'reply', id: msg.id, result: { savedTo: `/tmp/harness.${ext}` } });
        }
      },
    };
  };
})();
