// After a download: can this ONNX graph show attention? If not (fused attention, merged decoder), say which file to pick.
import * as path from 'path';
import { AttentionLensError, isAttentionLensError } from '../../engine/errors';
import { inspectAttention } from '../../engine/onnxAttention';
import { variantOfFile } from './hubRef';

/** Throws an AttentionLensError when the graph cannot expose attention. Replaceable in tests. */
export type AttentionCheck = (onnxFile: string) => Promise<void>;

export const inspectGraphAttention: AttentionCheck = async (onnxFile) => {
  await inspectAttention(onnxFile);
};

/** Which file to use instead of one whose attention is hidden. */
export function alternativeFor(file: string, code: string, repoOnnxFiles: string[] = []): string {
  const candidates =
    code === 'ATTENTION_IN_SUBGRAPH' ? [file.replace('decoder_model_merged', 'decoder_model'), 'onnx/decoder_model.onnx'] : ['onnx/model.onnx', 'onnx/decoder_model.onnx'];
  const known = candidates.find((c) => c !== file && (repoOnnxFiles.length === 0 || repoOnnxFiles.includes(c)));
  if (!known) return 'Export the model with optimum (default, non-optimized export) and open the folder as a local model.';
  const variant = variantOfFile(known);
  return `Pick ${known} instead${variant ? ` (variant ${variant})` : ''}.`;
}

const HIDDEN_ATTENTION = new Set(['FUSED_ATTENTION', 'ATTENTION_IN_SUBGRAPH', 'NO_ATTENTION']);

/** Runs the engine's graph inspection on a downloaded snapshot file and rewrites "can't" into Hub terms. */
export async function checkSnapshotAttention(
  snapshotFolder: string,
  file: string,
  label: string,
  check: AttentionCheck,
  repoOnnxFiles: () => Promise<string[] | undefined> = async () => undefined,
): Promise<void> {
  try {
    await check(path.join(snapshotFolder, ...file.split('/')));
  } catch (e) {
    if (!isAttentionLensError(e) || !HIDDEN_ATTENTION.has(e.code)) throw e;
    throw new AttentionLensError(
      e.code,
      `${label}: ${file} was downloaded, but it cannot show attention. ${e.message}`,
      alternativeFor(file, e.code, (await repoOnnxFiles()) ?? []),
      e.file,
    );
  }
}
