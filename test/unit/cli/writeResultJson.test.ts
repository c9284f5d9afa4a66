// Numbers in the CLI's JSON: the shortest decimal that reads back as the same float32.
import * as assert from 'assert';
import * as fc from 'fast-check';
import { float32Text } from '../../../src/cli/writeResultJson';

describe('float32 numbers in JSON', () => {
  it('prints familiar values short', () => {
    assert.deepStrictEqual([0, 1, 0.5, Math.fround(0.1), Math.fround(0.333333343)].map(float32Text), ['0', '1', '0.5', '0.1', '0.33333334']);
    assert.strictEqual(float32Text(Math.fround(1e-7)), '1e-7');
  });

  it('round-trips every float32 and is never longer than nine significant digits', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const s = float32Text(x);
        assert.strictEqual(Math.fround(Number(s)), Object.is(x, -0) ? 0 : x);
        const digits = s.replace(/^-|e.*$|\./g, '').replace(/^0+|0+$/g, '').length;
        assert.ok(digits <= 9, s);
        // No shorter rounding reads back as the same float32.
        if (digits > 1 && x !== 0) assert.notStrictEqual(Math.fround(Number(x.toPrecision(digits - 1))), x);
      }),
      { numRuns: 2000 },
    );
  });
});
