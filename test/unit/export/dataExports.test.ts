import * as assert from 'assert';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeFileAtomically } from '../../../src/export/atomicFile';
import { CSV_HEADER_LINES, viewCsv, viewJson, writeAllCsv, writeAllJson, type ExportContent } from '../../../src/export/dataExports';
import { hubIdentity, positionIn, provenanceOf } from '../../../src/export/exportMetadata';
import { defaultExportFolder, exportFileName } from '../../../src/export/exportNames';
import { groupTokens, mergeMatrix } from '../../../shared/granularity';
import { fakeResult } from '../support/fakeResult';

describe('data exports with provenance', () => {
  let dir: string;
  const documentText = 'import x\nthe cat sat\n';
  const result = fakeResult('the cat sat', 2, 3);
  let content: ExportContent;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-'));
    const folder = path.join(dir, 'hub', 'models--org--tiny-bert', 'snapshots', 'a'.repeat(40));
    fs.mkdirSync(path.join(folder, 'onnx'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'onnx', 'model.onnx'), 'graph bytes');
    result.model = { ...result.model, folder, onnxFile: path.join(folder, 'onnx', 'model.onnx') };
    const provenance = await provenanceOf({ result, file: '/work/src/cat.txt', documentText, startOffset: 9, version: '9.9.9' });
    content = { provenance, granularity: 'words', groups: groupTokens(result.text, result.tokens, 'words') };
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('names the model by Hub id, revision and the ONNX file\'s sha256, and the range by line and column', () => {
    const p = content.provenance;
    assert.deepStrictEqual(
      { id: p.model.id, revision: p.model.revision, onnxFile: p.model.onnxFile },
      { id: 'org/tiny-bert', revision: 'a'.repeat(40), onnxFile: 'onnx/model.onnx' },
    );
    assert.strictEqual(p.model.sha256, createHash('sha256').update('graph bytes').digest('hex'));
    assert.deepStrictEqual(p.source.range.start, { line: 2, column: 1 });
    assert.deepStrictEqual(p.source.range.end, { line: 2, column: 12 });
    assert.strictEqual(p.product.version, '9.9.9');
    assert.strictEqual(hubIdentity('/models/my-local-bert'), undefined);
    assert.deepStrictEqual(positionIn('a\nbc', 3), { line: 2, column: 2 });
  });

  it('writes the current view as CSV that says so, with a fixed-size header and the source text', () => {
    const n = result.tokens.length;
    const m = mergeMatrix(result.attention[1].subarray(n * n, 2 * n * n), n, content.groups);
    const lines = viewCsv(content, 'Layer 2 · Head 2', m).split('\r\n');
    assert.match(lines[0], /export of the current view only/);
    assert.strictEqual(JSON.parse(lines[3].slice('# text: '.length)), 'the cat sat');
    assert.strictEqual(lines[CSV_HEADER_LINES], 'query\\key,0:[CLS],1:the,2:cat,3:sat,4:[SEP]');
    const row = lines[CSV_HEADER_LINES + 2].split(',');
    assert.strictEqual(row[0], '1:the');
    assert.ok(Math.abs(row.slice(1).reduce((s, x) => s + Number(x), 0) - 1) < 1e-5, 'a merged row still sums to 1');
  });

  it('writes everything as JSON and long-form CSV that say so, readable back', async () => {
    const json = path.join(dir, 'all.json');
    await writeFileAtomically(json, (w) => writeAllJson(w, content, result));
    const parsed = JSON.parse(fs.readFileSync(json, 'utf8'));
    assert.strictEqual(parsed.scope, 'all');
    assert.strictEqual(parsed.contains, 'every layer and head');
    assert.strictEqual(parsed.source.text, 'the cat sat');
    assert.strictEqual(parsed.attention.length, 2);
    assert.strictEqual(parsed.attention[1].length, 3);
    assert.strictEqual(parsed.attention[1][2].length, content.groups.length);
    assert.match(parsed.mergeRule, /sum over its tokens.*mean over its tokens/);
    const view = JSON.parse(viewJson(content, result, 'Layer 1 · mean of heads', new Float32Array(25)));
    assert.strictEqual(view.scope, 'view');
    assert.strictEqual(view.view, 'Layer 1 · mean of heads');
    const csv = path.join(dir, 'all.csv');
    await writeFileAtomically(csv, (w) => writeAllCsv(w, content, result));
    const rows = fs.readFileSync(csv, 'utf8').trimEnd().split('\r\n');
    assert.match(rows[0], /every layer and head/);
    assert.strictEqual(rows[CSV_HEADER_LINES], 'layer,head,query,key,weight');
    assert.strictEqual(rows.length, CSV_HEADER_LINES + 1 + 2 * 3 * 25);
  });

  it('leaves no half-written file when an export fails', async () => {
    const file = path.join(dir, 'broken.json');
    await assert.rejects(
      writeFileAtomically(file, async (w) => {
        await w('{"partial":');
        throw new Error('disk full');
      }),
      /disk full/,
    );
    assert.ok(!fs.existsSync(file));
    assert.deepStrictEqual(fs.readdirSync(dir).filter((f) => f.includes('partial')), []);
  });

  it('names files from the file and view, next to the analysed file', () => {
    assert.strictEqual(
      exportFileName({ fileName: 'fibonacci.py', startLine: 3, endLine: 10, view: { layer: 3, head: 5 }, granularity: 'words' }, 'png'),
      'fibonacci_lines3-10_layer4-head6_words.png',
    );
    assert.strictEqual(exportFileName({ fileName: 'Übung 1.md', startLine: 2, endLine: 2, view: 'all', granularity: 'tokens' }, 'json'), 'Übung-1_line2_all-heads.json');
    assert.strictEqual(exportFileName({ fileName: 'x.ts', startLine: 1, endLine: 1, view: { aggregate: 'rollout' }, granularity: 'lines' }, 'svg'), 'x_line1_rollout_lines.svg');
    assert.strictEqual(defaultExportFolder({ scheme: 'file', fsPath: '/w/src/a.py' }, '/w', '/home/u'), '/w/src');
    assert.strictEqual(defaultExportFolder({ scheme: 'untitled', fsPath: 'Untitled-1' }, '/w', '/home/u'), '/w');
    assert.strictEqual(defaultExportFolder({ scheme: 'untitled', fsPath: '' }, undefined, '/home/u'), '/home/u');
  });
});

describe('figure titles', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { figureTitleOf } = require('../../../src/export/figureTitle');
  it('names the file, the lines holding analysed text (a trailing line break ends on the line before) and the model', () => {
    const doc = 'a\nb c\nd\n';
    const result = fakeResult('b c\n', 1, 1);
    assert.deepStrictEqual(figureTitleOf('/w/x.py', doc, 2, result), ['x.py, line 2', 'fake']);
    const two = fakeResult('b c\nd', 1, 1);
    assert.deepStrictEqual(figureTitleOf('/w/x.py', doc, 2, two), ['x.py, lines 2–3', 'fake']);
  });
});
