// The data an offline HTML report embeds (src/export/htmlReport.ts writes it, webview/report/ reads it). Pure types
// plus the base64 ↔ Float32 helpers both sides use.

export interface ReportData {
  format: 'attention-lens-report@1';
  /** Title lines: file and range, model, granularity. */
  title: string[];
  /** Provenance shown in a table (label → value), e.g. "Model sha256". */
  facts: [string, string][];
  /** The analysed text, and for each row/column its range in it (empty for special tokens and pooled blocks). */
  text: string;
  labels: string[];
  ranges: [number, number][];
  layers: number;
  heads: number;
  /** Side of every matrix in `data` (the number of labels). */
  size: number;
  /** Set when matrices were mean-pooled into blocks to keep the file small: how many groups each block holds. */
  pooledFrom: number | null;
  /** base64 of little-endian Float32 [layer][head][query][key]. */
  data: string;
  note: string;
}

export function float32ToBase64(values: Float32Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function base64ToFloat32(text: string): Float32Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Float32Array(bytes.buffer, 0, bytes.length >> 2);
}
