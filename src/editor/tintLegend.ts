// The editor's tint legend (shown in the hover card): which weight each of the eight tint levels starts at, for the
// current row's strongest key and colour scale, with swatches in the theme kind's default tint colours. Pure.
import type { ColorScale } from '../../shared/messages';
import { formatWeight } from '../../shared/formatWeight';
import { TINT_BUCKETS } from './weightBuckets';

/** The relative weight (0…1 of the strongest) at which a colour intensity is reached: scaleWeight's inverse. */
export function weightForIntensity(intensity: number, scale: ColorScale): number {
  const x = Math.max(0, Math.min(1, intensity));
  if (scale === 'sqrt') return x * x;
  if (scale === 'log') return x <= 0 ? 0 : Math.pow(10, 3 * (x - 1));
  return x;
}

/** Lowest weight painted at each level (level b starts half a step below intensity (b+1)/buckets). */
export function levelThresholds(max: number, scale: ColorScale, buckets = TINT_BUCKETS): number[] {
  return Array.from({ length: buckets }, (_, b) => max * weightForIntensity((b + 0.5) / buckets, scale));
}

/**
 * Markdown (with the small HTML subset hovers allow) of the legend: a swatch per level and the weight it starts at.
 * `colors` are #rrggbbaa strings, faintest first.
 */
export function tintLegendMarkdown(colors: readonly string[], max: number, scale: ColorScale): string {
  const thresholds = levelThresholds(max, scale, colors.length);
  const swatches = colors.map((c, b) => `<span style="background-color:${c};">&nbsp;${formatWeight(thresholds[b])}&nbsp;</span>`).join(' ');
  return `Tint legend (${scale} scale, strongest key ${formatWeight(max)}): ${swatches}`;
}
