// One ONNX graph ready to run: its attention plan, the patched copy with attention exposed, the inference worker,
// and the feeds for its inputs. The engine holds one (encoder or decoder-only model) or two (encoder–decoder).
import * as fs from 'fs';
import { AttentionOutput, pickAttention, probeIds } from './attentionLayouts';
import { allowedRoots, assertInsideModel } from './containment';
import { AttentionLensError, isAttentionLensError } from './errors';
import { buildFeeds, CacheShape, cacheShapeFromConfig, FeedValues } from './inputs';
import type { ModelFolder } from './modelFolder';
import { AttentionPlan, inspectAttention } from './onnxAttention';
import { OnnxGraphSummary, readOnnxGraph } from './onnxGraph';
import { ensurePatchedModel } from './patchCache';
import { isRegularFile } from './regularFile';
import { withValueOutputs } from './valueOutputs';
import { InferenceWorker, WorkerFailure } from './workerClient';
import type { OutputTensor, RunExtras, RunReply } from './workerProtocol';

export interface ProbeResult {
  /** The ids actually run (lengthened so that head and query counts differ). */
  ids: number[];
  /** Attention outputs whose keys are the queries themselves, in graph order. */
  self: AttentionOutput[];
  /** Attention outputs whose keys are the encoder's tokens (a decoder's cross-attention), in graph order. */
  cross: AttentionOutput[];
  /** A one-graph encoder–decoder's decoder self-attention (queries and keys = the decoder input). */
  decoderSelf: AttentionOutput[];
  outputs: OutputTensor[];
}

export class GraphSession {
  private constructor(
    readonly plan: AttentionPlan,
    private readonly worker: InferenceWorker,
    readonly cache: CacheShape,
    /** The graph's structure (no weights), when value tensors were exposed for value-norm attention. */
    readonly graph?: OnnxGraphSummary,
  ) {}

  /**
   * Inspects, patches and loads `onnxFile`; `keep` names model outputs to keep beside the attention; `exposeValues`
   * also exposes the value tensor after each Softmax (value-norm attention), without making it an attention candidate.
   */
  static async open(onnxFile: string, model: ModelFolder, opts: { cacheDir?: string; keep?: string[]; exposeValues?: boolean } = {}): Promise<GraphSession> {
    const plan = await inspectAttention(onnxFile);
    const roots = allowedRoots(model.folder);
    for (const data of plan.externalData) {
      assertInsideModel(roots, data.file);
      // onnxruntime would block on a FIFO or read a device without end.
      if (!isRegularFile(data.file)) throw new AttentionLensError('EXTERNAL_DATA_MISSING', `${data.file} is not a regular file.`, 'Replace it with the model\'s .onnx_data file.', data.file);
    }
    const keep = (opts.keep ?? []).filter((k) => plan.graphOutputs.includes(k));
    const graph = opts.exposeValues ? readOnnxGraph(onnxFile) : undefined;
    const patched = await ensurePatchedModel(graph ? withValueOutputs(plan, graph) : plan, opts.cacheDir, keep);
    // Prepacking holds a weight twice while packing it: fine for bert-base (peak 1.1× the file), not when one
    // weight is most of the model, where peak memory would pass 2× the file.
    const prepack = plan.weightBytes.largest <= plan.weightBytes.total / 2;
    const worker = new InferenceWorker(patched.file, patched.externalDataFolder, prepack);
    try {
      await worker.load().catch((e) => Promise.reject(loadError(e, onnxFile))).finally(() => {
        // A temporary copy (the cache was read-only or full) is no longer needed once the session holds the graph.
        if (patched.fallback) fs.rmSync(patched.fallback.folder, { recursive: true, force: true });
      });
    } catch (e) {
      await worker.dispose();
      throw e;
    }
    return new GraphSession(plan, worker, cacheShapeFromConfig(model.config), graph);
  }

  get onnxFile(): string {
    return this.plan.onnxFile;
  }

  /** The Softmax axis of each candidate output, by name. */
  axes(): Map<string, number> {
    return new Map(this.plan.softmaxOutputs.map((o) => [o.name, o.axis]));
  }

  async run(values: Omit<FeedValues, 'cache'>, fetches: string[], signal?: AbortSignal): Promise<OutputTensor[]> {
    return (await this.runWithExtras(values, fetches, undefined, signal)).outputs;
  }

  /** run(), plus the work the worker does on the outputs before replying (value-norm, head scores, probe scores). */
  async runWithExtras(values: Omit<FeedValues, 'cache'>, fetches: string[], extras: RunExtras | undefined, signal?: AbortSignal): Promise<RunReply> {
    try {
      return await this.worker.runWithExtras(buildFeeds(this.plan.inputs, { ...values, cache: this.cache }, this.onnxFile), fetches, extras, signal);
    } catch (e) {
      if (isAttentionLensError(e)) throw e;
      if (e instanceof WorkerFailure && e.phase === 'load') throw loadError(e, this.onnxFile);
      throw new AttentionLensError('INFERENCE_FAILED', `onnxruntime failed to run ${this.onnxFile}: ${(e as Error).message}.`, 'Check that the model folder holds a complete, matching export.', this.onnxFile);
    }
  }

  /**
   * Runs every candidate Softmax once and sorts out the attention: keys = queries (self), keys = the encoder's length
   * (cross), and for a one-graph encoder–decoder (decoder_input_ids fed `decoderStart` + the ids, one longer) the
   * decoder's self-attention. Lengths are chosen so no shape can be read two ways; `avoid` lists known head counts.
   */
  async probe(ids: number[], avoid: number[], opts: { encoderHidden?: FeedValues['encoderHidden']; decoderStart?: number } = {}): Promise<ProbeResult> {
    const { encoderHidden, decoderStart } = opts;
    const joint = decoderStart !== undefined;
    const sourceLength = encoderHidden?.dims[1];
    const skip = new Set([...avoid, ...(sourceLength === undefined ? [] : [sourceLength]), ...(joint ? avoid.map((h) => h - 1) : [])]);
    const names = this.plan.softmaxOutputs.map((o) => o.name);
    for (let attempt = 0; attempt < 6; attempt++) {
      const run = probeIds(ids, skip);
      const decoderIds = joint ? [decoderStart, ...run] : undefined;
      const outputs = await this.run({ ids: run, encoderHidden, decoderIds }, names);
      const n = run.length;
      const pick = (queries: number, keys: number) => pickAttention(outputs, this.axes(), queries, keys);
      const self = pick(n, n);
      const cross = sourceLength !== undefined ? pick(n, sourceLength) : joint ? pick(n + 1, n) : [];
      const decoderSelf = joint ? pick(n + 1, n + 1) : [];
      if (self !== 'ambiguous' && cross !== 'ambiguous' && decoderSelf !== 'ambiguous') return { ids: run, self, cross, decoderSelf, outputs };
      skip.add(n);
    }
    throw new AttentionLensError('NO_ATTENTION', `The Softmax outputs of ${this.onnxFile} keep matching two layouts at every probe length.`, 'Report the model.', this.onnxFile);
  }

  dispose(): Promise<void> {
    return this.worker.dispose();
  }
}

/** onnxruntime's load errors, in terms of the user's files. */
export function loadError(e: unknown, onnxFile: string): AttentionLensError {
  if (isAttentionLensError(e)) return e;
  const message = (e as Error).message;
  if (/external|\.onnx_data|data file/i.test(message) && /exist|open|find|no such/i.test(message)) {
    return new AttentionLensError('EXTERNAL_DATA_MISSING', `onnxruntime could not read the external weights of ${onnxFile}: ${message}.`, 'Download the model\'s .onnx_data file(s) next to the graph.', onnxFile);
  }
  return new AttentionLensError('ONNX_INVALID', `onnxruntime could not load ${onnxFile}: ${message}.`, 'Re-export or re-download the model; it may be damaged or use operators this onnxruntime lacks.', onnxFile);
}
