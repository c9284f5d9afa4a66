// Colour maths for the heatmaps: CSS colour parsing, a 256-step ramp, and a packed lookup table that already
// applies the weight scale, so painting a cell is one array read. Pure: no DOM, unit-tested in Node.
import type { ColorScale } from '../../shared/messages';

export type Rgba = [r: number, g: number, b: number, a: number];

/** Steps in the ramp (the legend and the token tints use these). */
export const RAMP_STEPS = 256;
/** Steps in the scaled lookup table: finer than the ramp so sqrt/log keep detail near zero. */
export const LUT_LEVELS = 4096;

/** Parses #rgb, #rgba, #rrggbb, #rrggbbaa, rgb() and rgba() (comma or space syntax); undefined otherwise. */
export function parseCssColor(input: string): Rgba | undefined {
  const s = input.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3,8})$/.exec(s);
  if (hex) {
    const h = hex[1];
    if (h.length === 3 || h.length === 4) {
      const v = [...h].map((c) => parseInt(c + c, 16));
      return [v[0], v[1], v[2], h.length === 4 ? v[3] / 255 : 1];
    }
    if (h.length === 6 || h.length === 8) {
      const v = [0, 2, 4, 6].map((i) => parseInt(h.slice(i, i + 2), 16));
      return [v[0], v[1], v[2], h.length === 8 ? v[3] / 255 : 1];
    }
    return undefined;
  }
  const fn = /^rgba?\(\s*([^)]*)\)$/.exec(s);
  if (!fn) return undefined;
  const parts = fn[1].split(/\s*[,/]\s*|\s+/).filter(Boolean);
  if (parts.length !== 3 && parts.length !== 4) return undefined;
  const channel = (p: string) => (p.endsWith('%') ? (parseFloat(p) * 255) / 100 : parseFloat(p));
  const rgb = parts.slice(0, 3).map(channel);
  const alpha = parts.length === 4 ? (parts[3].endsWith('%') ? parseFloat(parts[3]) / 100 : parseFloat(parts[3])) : 1;
  if ([...rgb, alpha].some((x) => !Number.isFinite(x))) return undefined;
  return [clampByte(rgb[0]), clampByte(rgb[1]), clampByte(rgb[2]), Math.min(1, Math.max(0, alpha))];
}

function clampByte(x: number): number {
  return Math.min(255, Math.max(0, Math.round(x)));
}

/** Maps a weight fraction t∈[0,1] through the chosen scale (sqrt and log lift small weights). */
export function applyScale(t: number, scale: ColorScale): number {
  const x = t <= 0 ? 0 : t >= 1 ? 1 : t;
  if (scale === 'sqrt') return Math.sqrt(x);
  if (scale === 'log') return Math.log1p(1000 * x) / Math.log1p(1000);
  return x;
}

/** A RAMP_STEPS×RGBA ramp through `stops` (evenly spaced), opaque. Stops' alpha is ignored. */
export function buildRamp(stops: Rgba[]): Uint8ClampedArray {
  if (stops.length === 0) throw new Error('buildRamp needs at least one colour stop');
  const ramp = new Uint8ClampedArray(RAMP_STEPS * 4);
  const segments = Math.max(1, stops.length - 1);
  for (let i = 0; i < RAMP_STEPS; i++) {
    const pos = (i / (RAMP_STEPS - 1)) * segments;
    const seg = Math.min(segments - 1, Math.floor(pos));
    const f = pos - seg;
    const a = stops[Math.min(seg, stops.length - 1)];
    const b = stops[Math.min(seg + 1, stops.length - 1)];
    for (let c = 0; c < 3; c++) ramp[i * 4 + c] = Math.round(a[c] + (b[c] - a[c]) * f);
    ramp[i * 4 + 3] = 255;
  }
  return ramp;
}

/** Packs RGBA bytes into one uint32 as ImageData stores them on little-endian machines (every browser target). */
export function packRgba(r: number, g: number, b: number, a: number): number {
  return ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

/** LUT_LEVELS packed colours: entry i is the ramp colour of applyScale(i / (LUT_LEVELS-1)). */
export function buildScaledLut(ramp: Uint8ClampedArray, scale: ColorScale): Uint32Array {
  const lut = new Uint32Array(LUT_LEVELS);
  for (let i = 0; i < LUT_LEVELS; i++) {
    const step = Math.round(applyScale(i / (LUT_LEVELS - 1), scale) * (RAMP_STEPS - 1)) * 4;
    lut[i] = packRgba(ramp[step], ramp[step + 1], ramp[step + 2], ramp[step + 3]);
  }
  return lut;
}

/** CSS colour of a weight fraction t∈[0,1] (the exported figure's colour bar, the HTML report's text tints). */
export function cssColorOf(lut: Uint32Array, t: number): string {
  const p = lut[lutIndex(t)];
  return `rgb(${p & 255}, ${(p >>> 8) & 255}, ${(p >>> 16) & 255})`;
}

/** Index into a scaled LUT for t∈[0,1] (clamped; NaN → 0). */
export function lutIndex(t: number): number {
  if (!(t > 0)) return 0;
  if (t >= 1) return LUT_LEVELS - 1;
  return (t * (LUT_LEVELS - 1) + 0.5) | 0;
}
