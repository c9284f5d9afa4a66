// WCAG contrast of text over a translucent tint, so the strongest tint level keeps code readable in every theme
// kind (the manifest's tint defaults are checked against each kind's default editor colours). Pure.

export type Rgb = [number, number, number];

/** #rgb, #rrggbb or #rrggbbaa → colour and alpha (0…1). */
export function parseHex(hex: string): { rgb: Rgb; alpha: number } {
  const h = hex.replace(/^#/, '');
  const full = h.length <= 4 ? [...h].map((c) => c + c).join('') : h;
  const v = [0, 2, 4, 6].map((i) => parseInt(full.slice(i, i + 2) || 'ff', 16));
  return { rgb: [v[0], v[1], v[2]], alpha: v[3] / 255 };
}

/** `top` at `alpha` over an opaque `bottom`. */
export function blend(bottom: Rgb, top: Rgb, alpha: number): Rgb {
  return [0, 1, 2].map((i) => bottom[i] * (1 - alpha) + top[i] * alpha) as Rgb;
}

/** WCAG 2 relative luminance. */
export function luminance(c: Rgb): number {
  const [r, g, b] = c.map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio (1…21). */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Contrast of `foreground` text over `background` tinted by `tint` (#rrggbbaa). */
export function tintedContrast(foreground: string, background: string, tint: string): number {
  const t = parseHex(tint);
  return contrastRatio(parseHex(foreground).rgb, blend(parseHex(background).rgb, t.rgb, t.alpha));
}
