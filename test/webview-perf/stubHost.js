// Stands in for the extension host in a plain browser: provides acquireVsCodeApi, answers the ready handshake
// and matrix requests (in the messenger's envelope) with random row-normalised matrices (deterministic per view), like the real host would.
// Query parameters: n (tokens, default 512), layers, heads (12), theme (dark|light|high-contrast).
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
  const rand = mulberry32(7);
  const tokens = [{ text: '[CLS]', start: 0, end: 0, special: true }];
  let text = '';
  while (tokens.length < n - 1) {
    const w = words[Math.floor(rand() * words.length)];
    if (text.length > 0) text += tokens.length % 17 === 0 ? '\n' : ' ';
    tokens.push({ text: w, start: text.length, end: text.length + w.length, special: false });
    text += w;
  }
  tokens.push({ text: '[SEP]', start: text.length, end: text.length, special: true });

  // A pool of matrices generated once, so answering a request costs what the real host's copy costs.
  function makeMatrix(seed) {
    const r = mulberry32(seed);
    const m = new Float32Array(n * n);
    const offset = 1 + (seed % 3);
    for (let q = 0; q < n; q++) {
      let sum = 0;
      for (let k = 0; k < n; k++) {
        let v = Math.pow(r(), 6);
        if (k === q - offset || k === 0) v += 2 + 4 * r();
        m[q * n + k] = v;
        sum += v;
      }
      for (let k = 0; k < n; k++) m[q * n + k] /= sum;
    }
    return m;
  }
  const pool = Array.from({ length: 6 }, (_, i) => makeMatrix(i + 1));
  const keyOf = (v) => ('head' in v ? v.layer * heads + v.head : v.aggregate === 'rollout' ? 1000 + (v.layer ?? 0) : 2000 + v.layer * 2 + (v.aggregate === 'max' ? 1 : 0));

  // Groups as the real host makes them (shared/granularity.ts), for this text of one token per word: words and
  // identifiers are the tokens themselves, lines join the tokens of each line; specials stay alone.
  function groupsOf(granularity) {
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
    return { text: first.special ? first.text : text.slice(first.start, last.end), start: first.start, end: last.end, special: first.special };
  };

  const send = (data) => setTimeout(() => window.dispatchEvent(new MessageEvent('message', { data })), 0);
  let state;
  // Each harness page loads one webview bundle: the page says which one is talking.
  const surface = location.pathname.endsWith('sidePanel.html') ? 'sidePanel' : 'panel';
  window.__sent = [];
  window.__host = { n, layers, heads, tokens, text, send };
  window.acquireVsCodeApi = function () {
    return {
      getState: () => state,
      setState: (s) => (state = s),
      postMessage(msg) {
        window.__sent.push(msg);
        if (msg.type === 'ready' && surface === 'panel') {
          // Kept so a test can send it again, as the host does when a hidden panel's page loads again.
          send((window.__host.init = {
            type: 'init',
            analysisId: 'harness-1',
            model: { name: 'harness-bert', layers, heads, causal: false },
            text,
            tokens,
            n,
            hideSpecialTokens: params.get('hideSpecial') !== '0',
            colorScale: params.get('scale') || 'sqrt',
            stale: params.get('stale') === '1',
            view: { layer: 0, head: 0 },
            truncated: false,
            figureTitle: ['main.py, lines 1–30', 'harness-bert'],
            selectedLength: text.length,
          }));
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
            model: { name: 'harness-bert', layers, heads, causal: false },
            recent: [
              { analysisId: 'harness-1', label: 'main.py · the model reads every token', modelName: 'harness-bert', tokenCount: n, createdAt: Date.now() },
              { analysisId: 'harness-0', label: 'README.md · Attention Lens shows', modelName: 'harness-bert', tokenCount: 42, createdAt: Date.now() - 60000 },
            ],
            currentAnalysisId: 'harness-1',
            shownHead: { layer: 2, head: 7 },
          });
          send({ type: 'thumbnails', analysisId: 'harness-1', layers, heads, size, data });
        } else if (msg.type === 'request' && msg.request.type === 'requestMatrix') {
          const { view, granularity } = msg.request;
          const m = pool[keyOf(view) % pool.length];
          const data = granularity === 'lines' ? merged(m, groupsOf('lines')) : m.slice();
          send({ type: 'reply', id: msg.id, result: { view, granularity, n: Math.round(Math.sqrt(data.length)), data } });
        } else if (msg.type === 'request' && msg.request.type === 'requestGroups') {
          const { granularity } = msg.request;
          send({ type: 'reply', id: msg.id, result: { granularity, groups: groupsOf(granularity).map(groupTokens) } });
        } else if (msg.type === 'request' && (msg.request.type === 'exportImage' || msg.request.type === 'exportData')) {
          const ext = msg.request.format;
          send({ type: 'reply', id: msg.id, result: { savedTo: `/tmp/harness.${ext}` } });
        }
      },
    };
  };
})();
