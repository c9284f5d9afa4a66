// Output files are complete or absent: a failure or Ctrl-C mid-write leaves the user's path as it was.
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomically } from '../../../src/cli/atomicOutput';
import { tempDir } from '../engine/helpers';

describe('atomic output files', () => {
  it('writes the whole file and leaves no temporary file', async () => {
    const dir = tempDir('atomic');
    const file = path.join(dir, 'out.json');
    await writeFileAtomically(file, async (write) => {
      for (let i = 0; i < 2000; i++) await write(`line ${i} ${'x'.repeat(1000)}\n`);
    });
    assert.deepStrictEqual(fs.readdirSync(dir), ['out.json']);
    assert.strictEqual(fs.readFileSync(file, 'utf8').split('\n').length, 2001);
  });

  it('keeps the previous file when producing fails half way', async () => {
    const dir = tempDir('atomic');
    const file = path.join(dir, 'out.json');
    fs.writeFileSync(file, 'previous');
    await assert.rejects(
      writeFileAtomically(file, async (write) => {
        await write('{"attention":[');
        throw new Error('Invalid string length');
      }),
      /Invalid string length/,
    );
    assert.deepStrictEqual(fs.readdirSync(dir), ['out.json']);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), 'previous');
  });

  it('fails with the file system error for a missing folder, creating nothing', async () => {
    const dir = tempDir('atomic');
    await assert.rejects(writeFileAtomically(path.join(dir, 'no', 'out.json'), async (write) => void (await write('x'))), { code: 'ENOENT' });
    assert.deepStrictEqual(fs.readdirSync(dir), []);
  });

  it('removes the unfinished file on Ctrl-C and exits with 130', async () => {
    const dir = tempDir('atomic');
    const file = path.join(dir, 'out.json');
    const script = `
      const { writeFileAtomically, exitCleanlyOnSignals } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/cli/atomicOutput.ts'))});
      exitCleanlyOnSignals('test');
      writeFileAtomically(${JSON.stringify(file)}, async (write) => {
        await write('{"partial":');
        process.stdout.write('writing\\n');
        await new Promise(() => setInterval(() => undefined, 1000));
      });`;
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise<void>((resolve) => child.stdout.on('data', (d) => String(d).includes('writing') && resolve()));
    assert.strictEqual(fs.readdirSync(dir).length, 1, 'the temporary file exists while writing');
    assert.deepStrictEqual(fs.readdirSync(dir).filter((f) => f === 'out.json'), [], 'never at the user\'s path');
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.strictEqual(code, 130);
    assert.deepStrictEqual(fs.readdirSync(dir), []);
    assert.match(stderr, /interrupted \(SIGINT\); the unfinished output file was removed/);
  });
});
