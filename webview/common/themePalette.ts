// Heatmap colours from the active VS Code theme's CSS variables, so dark, light and high-contrast themes all
// read well: the ramp runs editor background → chart accent → editor foreground (luminance rises or falls
// monotonically in every theme).
import { buildRamp, buildScaledLut, parseCssColor, type Rgba } from './colorRamp';
import type { ColorScale } from '../../shared/messages';

export interface ThemePalette {
  background: Rgba;
  foreground: Rgba;
  accent: Rgba;
  /** Outline colour for focus/hover marks: contrastBorder in high contrast, else focusBorder. */
  outline: string;
  foregroundCss: string;
  highContrast: boolean;
  ramp: Uint8ClampedArray;
  lut: Uint32Array;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const v = style.getPropertyValue(name).trim();
  return v || fallback;
}

/** Reads the theme now (call again after the body's theme class changes). */
export function readPalette(scale: ColorScale): ThemePalette {
  const style = getComputedStyle(document.body);
  const classes = document.body.classList;
  const highContrast = classes.contains('vscode-high-contrast') || classes.contains('vscode-high-contrast-light');
  const light = classes.contains('vscode-light') || classes.contains('vscode-high-contrast-light');
  const backgroundCss = cssVar(style, '--vscode-editor-background', light ? '#ffffff' : '#1e1e1e');
  const foregroundCss = cssVar(style, '--vscode-editor-foreground', light ? '#333333' : '#cccccc');
  const accentCss = cssVar(style, '--vscode-charts-blue', light ? '#1a85ff' : '#3794ff');
  const background = parseCssColor(backgroundCss) ?? [30, 30, 30, 1];
  const foreground = parseCssColor(foregroundCss) ?? [204, 204, 204, 1];
  const accent = parseCssColor(accentCss) ?? [55, 148, 255, 1];
  const outline = highContrast
    ? cssVar(style, '--vscode-contrastBorder', foregroundCss)
    : cssVar(style, '--vscode-focusBorder', foregroundCss);
  const ramp = buildRamp([background, accent, foreground]);
  return { background, foreground, accent, outline, foregroundCss, highContrast, ramp, lut: buildScaledLut(ramp, scale) };
}

/** Calls `onChange` when VS Code switches theme (it swaps the body's class and CSS variables). */
export function watchTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
  return () => observer.disconnect();
}
