// tokenizer.json → ids and tokens with UTF-16 ranges into the ORIGINAL text, specials flagged, cut to a limit.
// The `tokenizers` binding reports offsets in Unicode code points (checked with emoji); JS/VS Code use UTF-16.
import * as fs from 'fs';
import { Tokenizer } from 'tokenizers';
import { AttentionLensError } from './errors';
import { readFailure, readRegularText, TOKENIZER_MAX_BYTES } from './regularFile';
import type { Token } from './types';

export interface TokenizedText {
  ids: number[];
  tokens: Token[];
  truncated: boolean;
  coveredRange: { start: number; end: number };
}

export class TextTokenizer {
  private constructor(
    private readonly tokenizer: Tokenizer,
    readonly file: string,
    /** One past the largest id the tokenizer can produce (added tokens included). */
    readonly idLimit: number,
    /** The id of the unknown token ([UNK], <unk>), when the vocabulary has one (byte-level BPE has none). */
    readonly unknownId?: number,
  ) {}

  static load(file: string): TextTokenizer {
    if (!fs.existsSync(file)) {
      throw new AttentionLensError('TOKENIZER_MISSING', `${file} is missing.`, 'Save the fast tokenizer (tokenizer.json) next to the model.', file);
    }
    let json: string;
    try {
      json = readRegularText(file, TOKENIZER_MAX_BYTES);
    } catch (e) {
      throw new AttentionLensError('TOKENIZER_INVALID', `${file} ${readFailure(e)}.`, 'Restore the original tokenizer.json.', file);
    }
    let tokenizer: Tokenizer;
    try {
      JSON.parse(json);
      // From the bytes just checked, not the path: the file cannot be swapped for a FIFO or a device in between.
      tokenizer = Tokenizer.fromString(json);
    } catch (e) {
      throw new AttentionLensError(
        'TOKENIZER_INVALID',
        `${file} is not a usable tokenizer (${String((e as Error).message ?? e).split('\n')[0]}).`,
        'Restore the original tokenizer.json (AutoTokenizer.from_pretrained(...).save_pretrained(folder) writes one).',
        file,
      );
    }
    // A tokenizer.json may carry padding/truncation settings; the engine cuts text itself.
    tokenizer.disablePadding();
    tokenizer.disableTruncation();
    // A loop, not Math.max(...ids): vocabularies of 250k entries overflow the argument stack.
    let idLimit = 0;
    for (const id of Object.values(tokenizer.getVocab(true))) if (id + 1 > idLimit) idLimit = id + 1;
    return new TextTokenizer(tokenizer, file, idLimit, unknownTokenId(json, tokenizer));
  }

  /** Text of `ids`, special tokens left out (generated text). */
  decode(ids: number[]): Promise<string> {
    return this.tokenizer.decode(ids, true);
  }

  /** The tokenizer's piece for an id (e.g. `</s>`, `Ġthe`). */
  piece(id: number): string {
    return this.tokenizer.idToToken(id) ?? `#${id}`;
  }

  /** Tokenizes `text`, keeping at most `limit` tokens (leading and trailing specials kept when cutting). */
  /**
   * Tokenizes `text`, keeping at most `limit` tokens (leading and trailing specials kept when cutting). Only a prefix
   * is tokenized when it already gives more tokens than fit (10 MB of text took 48 s and 2 GB otherwise); the prefix
   * grows until it does, so the kept tokens are those of the whole text.
   */
  async tokenize(text: string, limit: number): Promise<TokenizedText> {
    for (let length = Math.max(PREFIX_MIN_CHARS, limit * PREFIX_CHARS_PER_TOKEN); length < text.length; length *= 4) {
      const prefix = text.slice(0, endOfCharacter(text, length));
      const partial = await this.tokenizeWhole(prefix, limit);
      // Tokens near the cut may differ from the whole text's; require a margin of tokens that were dropped anyway.
      if (partial.truncated && partial.droppedTokens > PREFIX_MARGIN_TOKENS) return partial;
    }
    return this.tokenizeWhole(text, limit);
  }

  private async tokenizeWhole(text: string, limit: number): Promise<TokenizedText & { droppedTokens: number }> {
    let encoding;
    try {
      encoding = await this.tokenizer.encode(text);
    } catch (e) {
      throw new AttentionLensError('TOKENIZER_INVALID', `${this.file} failed on this text (${String((e as Error).message ?? e).split('\n')[0]}).`, 'Try another text or restore the original tokenizer.json.', this.file);
    }
    const ids = encoding.getIds();
    const pieces = encoding.getTokens();
    const offsets = encoding.getOffsets();
    const specialMask = encoding.getSpecialTokensMask();
    const toUtf16 = codePointToUtf16(text);
    const cpCount = toUtf16.length - 1;
    const all = ids.map((id, i) => {
      const start = Math.min(Math.max(offsets[i]?.[0] ?? 0, 0), cpCount);
      const end = Math.min(Math.max(offsets[i]?.[1] ?? start, start), cpCount);
      return { id, text: pieces[i], start: toUtf16[start], end: toUtf16[end], special: specialMask[i] === 1 };
    });
    const kept = keepWithinLimit(all, limit);
    const truncated = kept.length < all.length;
    const content = kept.filter((t) => !t.special);
    const coveredRange = truncated
      ? { start: 0, end: content.reduce((m, t) => Math.max(m, t.end), 0) }
      : { start: 0, end: text.length };
    return { ids: kept.map((t) => t.id), tokens: placeSpecials(kept, coveredRange), truncated, coveredRange, droppedTokens: all.length - kept.length };
  }
}

/** model.unk_token (WordPiece, BPE) or model.unk_id (Unigram) of a tokenizer.json. */
function unknownTokenId(json: string, tokenizer: Tokenizer): number | undefined {
  const model = (JSON.parse(json) as { model?: { unk_token?: unknown; unk_id?: unknown } }).model;
  if (typeof model?.unk_id === 'number') return model.unk_id;
  if (typeof model?.unk_token !== 'string') return undefined;
  return tokenizer.tokenToId(model.unk_token) ?? undefined;
}

const PREFIX_MIN_CHARS = 16 * 1024;
const PREFIX_CHARS_PER_TOKEN = 16;
const PREFIX_MARGIN_TOKENS = 32;

/** `index`, or one more when it would split a surrogate pair. */
function endOfCharacter(text: string, index: number): number {
  const c = text.charCodeAt(index - 1);
  return c >= 0xd800 && c <= 0xdbff ? index + 1 : index;
}

/** Maps code point index → UTF-16 index (length = code points + 1). Lone surrogates count as one code point. */
export function codePointToUtf16(text: string): Uint32Array {
  const map: number[] = [];
  let i = 0;
  while (i < text.length) {
    map.push(i);
    const c = text.charCodeAt(i);
    const isPair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    i += isPair ? 2 : 1;
  }
  map.push(text.length);
  return Uint32Array.from(map);
}

/** Leading specials + as many content tokens as fit + trailing specials; never ends inside one character. */
function keepWithinLimit(all: Token[], limit: number): Token[] {
  if (all.length <= limit) return all;
  let first = 0;
  while (first < all.length && all[first].special) first++;
  let last = all.length - 1;
  while (last >= first && all[last].special) last--;
  const leading = all.slice(0, first);
  const trailing = all.slice(last + 1);
  const room = Math.max(0, limit - leading.length - trailing.length);
  let body = all.slice(first, first + room);
  const next = all[first + room];
  // Byte-level pieces of one character share its range: drop a partial character rather than cut it.
  if (next && next.end > next.start) {
    while (body.length > 0 && body[body.length - 1].start === next.start && body[body.length - 1].end === next.end) body = body.slice(0, -1);
  }
  return [...leading, ...body, ...trailing].slice(0, Math.max(limit, 0));
}

/** Specials get an empty range: leading at the start, trailing at the end of the covered text, others in place. */
function placeSpecials(tokens: Token[], covered: { start: number; end: number }): Token[] {
  const lastContent = tokens.map((t) => !t.special).lastIndexOf(true);
  let prevEnd = covered.start;
  return tokens.map((t, i) => {
    if (!t.special) {
      prevEnd = t.end;
      return t;
    }
    const at = i > lastContent ? covered.end : t.end > t.start ? t.start : prevEnd;
    return { ...t, start: at, end: at };
  });
}
