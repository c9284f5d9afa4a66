// Which inputs a graph declares and what to feed each: token ids, masks, positions, neutral extras (token types,
// LayoutLM boxes), an empty key/value cache of the declared type, and an encoder's hidden states for a decoder.
import * as path from 'path';
import { AttentionLensError } from './errors';
import { OnnxGraphSummary, OnnxValueInfo, ONNX_FLOAT, ONNX_FLOAT16, ONNX_INT32, ONNX_INT64 } from './onnxGraph';
import type { FeedTensor } from './workerProtocol';

export type InputRole =
  | 'input_ids'
  | 'attention_mask'
  | 'decoder_input_ids'
  | 'decoder_attention_mask'
  | 'token_type_ids'
  | 'position_ids'
  | 'bbox'
  | 'past'
  | 'use_cache_branch'
  | 'encoder_hidden_states'
  | 'encoder_attention_mask';

export interface GraphInput {
  name: string;
  role: InputRole;
  type: FeedTensor['type'];
  /** Declared dimensions (numbers, symbols or unknown); only used for the empty cache. */
  dims?: (number | string | undefined)[];
}

/** Names the engine fills exactly; anything else is refused by name. */
const ROLE_BY_NAME: Record<string, InputRole> = {
  input_ids: 'input_ids',
  attention_mask: 'attention_mask',
  // A whole encoder–decoder in one graph (optimum's feature-extraction export of BART, Marian, T5, …).
  decoder_input_ids: 'decoder_input_ids',
  decoder_attention_mask: 'decoder_attention_mask',
  token_type_ids: 'token_type_ids',
  position_ids: 'position_ids',
  bbox: 'bbox',
  use_cache_branch: 'use_cache_branch',
  use_cache: 'use_cache_branch',
  encoder_hidden_states: 'encoder_hidden_states',
  encoder_outputs: 'encoder_hidden_states',
  encoder_attention_mask: 'encoder_attention_mask',
};
const PAST = /^(past_key_values|past)[._]/;
const ELEMENT: Record<number, FeedTensor['type']> = { [ONNX_INT64]: 'int64', [ONNX_INT32]: 'int32', [ONNX_FLOAT]: 'float32', [ONNX_FLOAT16]: 'float16', 9: 'bool' };

function refuse(onnxFile: string, message: string, hint: string): AttentionLensError {
  return new AttentionLensError('UNKNOWN_INPUT', message, hint, onnxFile);
}

/** The graph's real inputs with their roles; throws for inputs that have no exact neutral value. */
export function describeInputs(graph: OnnxGraphSummary, onnxFile: string): GraphInput[] {
  const base = path.basename(onnxFile);
  const real = graph.inputs.filter((i) => !graph.initializers.has(i.name));
  const inputs = real.map((input) => describeInput(input, base, onnxFile));
  if (!inputs.some((i) => i.role === 'input_ids' || i.role === 'decoder_input_ids')) {
    throw refuse(onnxFile, `${base} has no input_ids input, so token ids cannot be fed to it.`, 'Export the model with token ids as input (optimum\'s default export does).');
  }
  return inputs;
}

function describeInput(input: OnnxValueInfo, base: string, onnxFile: string): GraphInput {
  if (input.name === 'global_attention_mask') {
    throw new AttentionLensError(
      'BANDED_ATTENTION',
      `${base} is a Longformer-style model (input "global_attention_mask"): its local attention is computed as a band [batch, N, heads, 2w+1] with global tokens in a separate tensor, so no [query, key] matrix exists to expose.`,
      'Use a model with full attention, e.g. RoBERTa (which Longformer starts from), for texts up to 512 tokens.',
      onnxFile,
    );
  }
  const role: InputRole | undefined = PAST.test(input.name) ? 'past' : ROLE_BY_NAME[input.name];
  if (!role) {
    throw refuse(onnxFile, `${base} requires the input "${input.name}", which Attention Lens cannot fill exactly (it fills token ids, masks, positions, token types, LayoutLM boxes, an empty key/value cache and encoder outputs).`, 'Export the model with only the standard text inputs (optimum\'s default export does).');
  }
  const type = input.elemType === undefined ? (role === 'past' || role === 'encoder_hidden_states' ? 'float32' : 'int64') : ELEMENT[input.elemType];
  const wanted: FeedTensor['type'][] = role === 'past' || role === 'encoder_hidden_states' ? ['float32', 'float16'] : role === 'use_cache_branch' ? ['bool'] : ['int64', 'int32'];
  if (!type || !wanted.includes(type)) {
    throw refuse(onnxFile, `${base} declares input "${input.name}" with element type ${input.elemType}; Attention Lens feeds it as ${wanted.join(' or ')}.`, 'Export the model with the standard input types (optimum\'s default export).');
  }
  return { name: input.name, role, type, dims: input.dims };
}

/** Sizes of an empty cache entry the graph cannot tell by itself: from config.json. */
export interface CacheShape {
  kvHeads?: number;
  headDim?: number;
  /** Query heads: BLOOM-style caches fold them into the batch axis ("batch_size x num_heads"). */
  heads?: number;
}

export function cacheShapeFromConfig(config: Record<string, unknown>): CacheShape {
  const n = (k: string) => (typeof config[k] === 'number' ? (config[k] as number) : undefined);
  const heads = n('num_attention_heads') ?? n('n_head') ?? n('num_heads') ?? n('decoder_attention_heads');
  const hidden = n('hidden_size') ?? n('n_embd') ?? n('d_model');
  const kvHeads = n('num_key_value_heads') ?? (config.multi_query === true ? 1 : heads);
  const headDim = n('head_dim') ?? n('d_kv') ?? (hidden && heads ? hidden / heads : undefined);
  return { kvHeads, headDim, heads };
}

/** [1, kvHeads, 0, headDim] (or the declared layout with its past axis 0): an empty cache, i.e. a no-cache run. */
export function emptyPastDims(input: GraphInput, cache: CacheShape, onnxFile: string): number[] {
  const declared = input.dims ?? [undefined, undefined, undefined, undefined];
  const isPastAxis = (d: number | string | undefined, i: number) => (typeof d === 'string' ? /past|seq/i.test(d) : d === undefined && declared.length === 4 && i === 2);
  const pastAxis = declared.findIndex(isPastAxis);
  return declared.map((d, i) => {
    if (i === 0 && typeof d === 'string' && /heads/i.test(d) && cache.heads !== undefined) return cache.heads;
    if (i === 0) return 1;
    if (i === pastAxis) return 0;
    if (typeof d === 'number') return d;
    const fromConfig = declared.length === 4 ? (i === 1 ? cache.kvHeads : i === 3 ? cache.headDim : undefined) : undefined;
    if (fromConfig === undefined || !Number.isInteger(fromConfig)) {
      throw refuse(onnxFile, `${path.basename(onnxFile)} declares the cache input "${input.name}" with dimension ${i} "${d ?? '?'}", which neither the graph nor config.json sizes.`, 'Export with optimum (text-generation-with-past), which declares [batch, kv_heads, past_len, head_dim].');
    }
    return fromConfig;
  });
}

export interface FeedValues {
  ids: number[];
  /** A one-graph encoder–decoder's decoder input (the target shifted right behind the start token). */
  decoderIds?: number[];
  /** Encoder output for a decoder: float32 values and dims [1, S, hidden]. */
  encoderHidden?: { data: Float32Array; dims: number[] };
  cache?: CacheShape;
}

function integers(type: FeedTensor['type'], values: ArrayLike<number>): BigInt64Array | Int32Array {
  return type === 'int64' ? BigInt64Array.from(values as number[], (v) => BigInt(v)) : Int32Array.from(values as number[]);
}

/** One tensor per graph input: ids, all-ones masks, positions 0..N-1, zeros for neutral extras, an empty cache. */
export function buildFeeds(inputs: GraphInput[], values: FeedValues, onnxFile: string): FeedTensor[] {
  const n = values.ids.length;
  return inputs.map((input): FeedTensor => {
    const { name, type } = input;
    switch (input.role) {
      case 'input_ids':
        return { name, type, data: integers(type, values.ids), dims: [1, n] };
      case 'attention_mask':
        return { name, type, data: integers(type, new Array<number>(n).fill(1)), dims: [1, n] };
      case 'position_ids':
        return { name, type, data: integers(type, values.ids.map((_, i) => i)), dims: [1, n] };
      case 'token_type_ids':
        return { name, type, data: integers(type, new Array<number>(n).fill(0)), dims: [1, n] };
      case 'decoder_input_ids':
      case 'decoder_attention_mask': {
        // A decoder graph of its own may call its ids decoder_input_ids: then they are the ids fed.
        const d = values.decoderIds ?? (inputs.some((i) => i.role === 'input_ids') ? undefined : values.ids);
        if (!d) throw refuse(onnxFile, `${path.basename(onnxFile)} takes decoder_input_ids, but no target was formed for it.`, 'Open the model through AttentionEngine, which forms the decoder input.');
        return { name, type, data: integers(type, input.role === 'decoder_input_ids' ? d : new Array<number>(d.length).fill(1)), dims: [1, d.length] };
      }
      case 'bbox':
        return { name, type, data: integers(type, new Array<number>(n * 4).fill(0)), dims: [1, n, 4] };
      case 'use_cache_branch':
        return { name, type: 'bool', data: new Uint8Array([0]), dims: [1] };
      case 'past': {
        const dims = emptyPastDims(input, values.cache ?? {}, onnxFile);
        return { name, type, data: type === 'float16' ? new Uint16Array(0) : new Float32Array(0), dims };
      }
      case 'encoder_attention_mask': {
        const s = values.encoderHidden?.dims[1] ?? 0;
        return { name, type, data: integers(type, new Array<number>(s).fill(1)), dims: [1, s] };
      }
      case 'encoder_hidden_states': {
        const hidden = values.encoderHidden;
        if (!hidden) throw refuse(onnxFile, `${path.basename(onnxFile)} is a decoder that needs encoder_hidden_states.`, 'Open the whole encoder–decoder folder (onnx/encoder_model.onnx and onnx/decoder_model.onnx).');
        return { name, type, data: type === 'float16' ? toFloat16(hidden.data) : hidden.data, dims: hidden.dims };
      }
    }
  });
}

/** float32 → IEEE half bits (round to nearest even), for fp16 decoders fed an fp16 encoder's widened output. */
export function toFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  for (let i = 0; i < values.length; i++) {
    f[0] = values[i];
    const x = u[0];
    const sign = (x >>> 16) & 0x8000;
    const exp = (x >>> 23) & 0xff;
    let mant = x & 0x7fffff;
    if (exp === 0xff) {
      out[i] = sign | 0x7c00 | (mant ? 0x200 : 0);
      continue;
    }
    const e = exp - 127 + 15;
    if (e >= 0x1f) {
      out[i] = sign | 0x7c00;
      continue;
    }
    if (e <= 0) {
      if (e < -10) {
        out[i] = sign;
        continue;
      }
      mant |= 0x800000;
      const shift = 14 - e;
      let half = mant >>> shift;
      const rest = mant & ((1 << shift) - 1);
      const mid = 1 << (shift - 1);
      if (rest > mid || (rest === mid && half & 1)) half++;
      out[i] = sign | half;
      continue;
    }
    let half = (e << 10) | (mant >>> 13);
    const rest = mant & 0x1fff;
    if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
    out[i] = sign | half;
  }
  return out;
}
