import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analysisIdOf, hashText, PanelRestoreStore } from '../../../src/analysis/restoreStore';

describe('panel restore after a window reload', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'al-restore-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds an analysis by the id the webview saved, newest ten kept', () => {
    const store = new PanelRestoreStore(path.join(dir, 'storage'));
    for (let i = 0; i < 12; i++) store.remember({ id: `a${i}`, uri: 'file:///x.py', start: i, end: i + 5, textHash: hashText(`t${i}`), label: `x${i}` });
    const again = new PanelRestoreStore(path.join(dir, 'storage'));
    assert.strictEqual(again.get('a11')?.start, 11);
    assert.strictEqual(again.get('a2')?.end, 7);
    assert.strictEqual(again.get('a1'), undefined);
  });

  it('survives a damaged file and reads the id only from a well-formed state', () => {
    fs.writeFileSync(path.join(dir, 'panel-analyses.json'), '{not json');
    assert.strictEqual(new PanelRestoreStore(dir).get('a1'), undefined);
    assert.strictEqual(analysisIdOf({ analysisId: 'abc', view: {} }), 'abc');
    assert.strictEqual(analysisIdOf({ analysisId: 42 }), undefined);
    assert.strictEqual(analysisIdOf(null), undefined);
    assert.strictEqual(analysisIdOf({ analysisId: 'x'.repeat(201) }), undefined);
  });
});
