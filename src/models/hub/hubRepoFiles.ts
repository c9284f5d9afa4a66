// The repo's file list from the Hub API, used only to tell a user which variants exist; never required.
import { variantOfFile } from './hubRef';
import { HubHttpContext, hubFetch } from './hubHttp';

/** The largest repos list ~100k files in well under this; a server sending more is cut off, not buffered. */
const LISTING_MAX_BYTES = 32 * 1024 * 1024;

/** The body as text, refused (and the transfer cancelled) past `maxBytes`. */
async function boundedText(response: Response, maxBytes: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of (response.body ?? []) as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    if (bytes > maxBytes) throw new Error(`the file listing is larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Files of the repo at a revision via `{endpoint}/api/models/{id}/revision/{rev}`, or undefined if the API does not answer. */
export async function listRepoFiles(id: string, revision: string, ctx: HubHttpContext): Promise<string[] | undefined> {
  try {
    const url = `${ctx.endpoint}/api/models/${id}/revision/${encodeURIComponent(revision)}`;
    const signal = ctx.signal ? AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.timeoutMs)]) : AbortSignal.timeout(ctx.timeoutMs);
    const { response } = await hubFetch(url, { method: 'GET', headers: { accept: 'application/json' }, signal }, ctx);
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      return undefined;
    }
    const body = JSON.parse(await boundedText(response, LISTING_MAX_BYTES)) as { siblings?: { rfilename?: unknown }[] };
    if (!Array.isArray(body.siblings)) return undefined;
    return body.siblings.map((s) => s.rfilename).filter((f): f is string => typeof f === 'string');
  } catch {
    return undefined;
  }
}

/** The ONNX graphs among a repo's files, e.g. ["onnx/model.onnx", "onnx/model_quantized.onnx"]. */
export function onnxGraphFiles(files: string[]): string[] {
  return files.filter((f) => f.endsWith('.onnx')).sort();
}

/** "fp32 (onnx/model.onnx), quantized (onnx/model_quantized.onnx), onnx/decoder_model_merged.onnx" */
export function describeOnnxFiles(files: string[]): string {
  return onnxGraphFiles(files)
    .map((f) => {
      const variant = variantOfFile(f);
      return variant ? `${variant} (${f})` : f;
    })
    .join(', ');
}
