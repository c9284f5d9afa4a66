import * as assert from 'assert';
import { csvField, matrixCsv, safeFileStem } from '../../../src/export/exportFormats';
import type { Token } from '../../../src/engine/types';

describe('export formats', () => {
  const tokens: Token[] = [
    { id: 1, text: '[CLS]', start: 0, end: 0, special: true },
    { id: 2, text: 'a,b', start: 0, end: 3, special: false },
    { id: 3, text: '"q"', start: 4, end: 7, special: false },
  ];

  it('writes the matrix with token labels, quoting commas and quotes', () => {
    const m = new Float32Array([1, 0, 0, 0.5, 0.25, 0.25, 0.1, 0.2, 0.7]);
    const lines = matrixCsv(tokens, m).trimEnd().split('\r\n');
    assert.strictEqual(lines[0], 'query\\key,0:[CLS],"1:a,b","2:""q"""');
    assert.strictEqual(lines[2], '"1:a,b",0.5,0.25,0.25');
    assert.strictEqual(lines[3], '"2:""q""",0.1,0.2,0.7');
    assert.strictEqual(lines.length, 4);
  });

  it('leaves plain fields alone and builds safe file names', () => {
    assert.strictEqual(csvField('plain'), 'plain');
    assert.strictEqual(csvField('two\nlines'), '"two\nlines"');
    assert.strictEqual(safeFileStem('main.ts: the cat / L3H5'), 'main.ts-the-cat-L3H5');
    assert.strictEqual(safeFileStem('///'), 'attention');
  });
});
