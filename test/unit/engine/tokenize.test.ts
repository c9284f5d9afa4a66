// Token ranges must land on the analysed text's own UTF-16 characters, whatever the tokenizer does to the text.
import * as assert from 'assert';
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import { TextTokenizer } from '../../../src/engine/tokenize';
import type { Token } from '../../../src/engine/types';
import { MODELS, tempDir } from './helpers';

const load = (model: string) => TextTokenizer.load(path.join(MODELS, model, 'tokenizer.json'));

/** The bert fixture's tokenizer with a normalizer that decomposes, lowercases and strips accents. */
function nfdTokenizer(): TextTokenizer {
  const json = JSON.parse(fs.readFileSync(path.join(MODELS, 'bert', 'tokenizer.json'), 'utf8'));
  json.normalizer = { type: 'Sequence', normalizers: [{ type: 'NFD' }, { type: 'Lowercase' }, { type: 'StripAccents' }] };
  const file = path.join(tempDir('nfd'), 'tokenizer.json');
  fs.writeFileSync(file, JSON.stringify(json));
  return TextTokenizer.load(file);
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
/** True when `pos` splits a surrogate pair. */
const splitsPair = (text: string, pos: number) => pos > 0 && pos < text.length && isHigh(text.charCodeAt(pos - 1)) && isLow(text.charCodeAt(pos));

function checkRanges(text: string, tokens: Token[]): void {
  let lastStart = 0;
  for (const t of tokens) {
    assert.ok(t.start >= 0 && t.start <= t.end && t.end <= text.length, `range [${t.start}, ${t.end}] outside 0..${text.length}`);
    assert.ok(t.start >= lastStart, `ranges out of order at ${t.text}`);
    lastStart = t.start;
    if (t.special) assert.strictEqual(t.start, t.end, 'special tokens have an empty range');
    else assert.ok(!splitsPair(text, t.start) && !splitsPair(text, t.end), `range [${t.start}, ${t.end}] cuts a surrogate pair`);
  }
  const content = tokens.filter((t) => !t.special && t.end > t.start);
  for (let i = 0; i < content.length; i++) {
    for (let j = i + 1; j < content.length; j++) {
      const [a, b] = [content[i], content[j]];
      const same = a.start === b.start && a.end === b.end;
      const disjoint = a.end <= b.start || b.end <= a.start;
      assert.ok(same || disjoint, `ranges [${a.start}, ${a.end}] and [${b.start}, ${b.end}] overlap`);
    }
  }
}

const pieces = fc.oneof(
  fc.constantFrom('😀', '🙂', '👩‍💻', '\r\n', '\r', '\n', 'e\u0301', '\u0301', 'مرحبا', '\u202e', '\u0000', '\t', '\u0007', '\ud800', '\udc00', 'é', 'É', 'ß', 'İ', 'ﬁ', '한', '\ufeff', ' ', '[CLS]', '<s>', '<|endoftext|>', '中文'),
  fc.string({ unit: 'binary', maxLength: 3 }),
  fc.string({ maxLength: 6 }),
);
const texts = fc.array(pieces, { maxLength: 24 }).map((a) => a.join(''));

describe('tokenize: UTF-16 ranges', () => {
  for (const model of ['bert', 'roberta', 'gpt2']) {
    it(`${model}: never throws; ranges in bounds, ordered, whole code points, pieces of one character share it`, async () => {
      const tokenizer = load(model);
      await fc.assert(
        fc.asyncProperty(texts, fc.integer({ min: 1, max: 40 }), async (text, limit) => {
          const r = await tokenizer.tokenize(text, limit);
          assert.ok(r.tokens.length <= limit);
          assert.strictEqual(r.ids.length, r.tokens.length);
          checkRanges(text, r.tokens);
          assert.ok(r.coveredRange.end <= text.length);
          for (const t of r.tokens) if (!t.special) assert.ok(t.end <= r.coveredRange.end);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('nfd + strip accents + lowercase: property holds too', async () => {
    const tokenizer = nfdTokenizer();
    await fc.assert(fc.asyncProperty(texts, async (text) => checkRanges(text, (await tokenizer.tokenize(text, 512)).tokens)), { numRuns: 200 });
  });

  it('maps emoji, accents, combining marks and CRLF to the original characters', async () => {
    const text = 'Café 😀 nai\u0308ve\r\nÉTÉ';
    for (const tokenizer of [load('bert'), nfdTokenizer()]) {
      const r = await tokenizer.tokenize(text, 512);
      const covered = r.tokens.filter((t) => !t.special).map((t) => text.slice(t.start, t.end));
      assert.ok(covered.includes('😀'), `emoji kept whole: ${JSON.stringify(covered)}`);
      // Lowercasing and accent stripping happen in the tokenizer; the ranges still point at the original casing.
      assert.ok(covered.join('').replace(/\s/g, '').startsWith('Café'), JSON.stringify(covered));
      assert.ok(covered.some((s) => s.startsWith('É')), JSON.stringify(covered));
    }
    const gpt2 = await load('gpt2').tokenize(text, 512);
    const emojiPieces = gpt2.tokens.filter((t) => text.slice(t.start, t.end) === '😀');
    assert.ok(emojiPieces.length >= 1);
    const crlf = text.indexOf('\r\n');
    assert.ok(gpt2.tokens.some((t) => t.start <= crlf && t.end >= crlf + 1), 'CR is covered');
  });

  it('flags special tokens with empty ranges at the start and end of the text', async () => {
    const text = 'hello world';
    const r = await load('bert').tokenize(text, 512);
    assert.deepStrictEqual(
      r.tokens.filter((t) => t.special).map((t) => [t.text, t.start, t.end]),
      [
        ['[CLS]', 0, 0],
        ['[SEP]', text.length, text.length],
      ],
    );
    assert.strictEqual(r.truncated, false);
    assert.deepStrictEqual(r.coveredRange, { start: 0, end: text.length });
  });

  it('cuts long text to the limit, keeps both specials and reports the covered range', async () => {
    const text = 'one two three four five six seven eight nine ten';
    const r = await load('bert').tokenize(text, 6);
    assert.strictEqual(r.tokens.length, 6);
    assert.strictEqual(r.truncated, true);
    assert.deepStrictEqual([r.tokens[0].special, r.tokens[5].special], [true, true]);
    const lastContent = r.tokens[4];
    assert.deepStrictEqual(r.coveredRange, { start: 0, end: lastContent.end });
    assert.ok(r.coveredRange.end < text.length);
    assert.strictEqual(r.tokens[5].start, r.coveredRange.end);
  });

  it('does not end a cut text inside a character split into byte pieces', async () => {
    const text = 'a😀😀😀😀😀😀';
    const full = await load('gpt2').tokenize(text, 512);
    for (let limit = 1; limit < full.tokens.length; limit++) {
      const r = await load('gpt2').tokenize(text, limit);
      assert.ok(r.truncated);
      const next = full.tokens[r.tokens.length];
      const last = r.tokens[r.tokens.length - 1];
      if (last && next) assert.ok(last.start !== next.start || last.end !== next.end || last.end === last.start, `limit ${limit} splits a character`);
    }
  });
});
