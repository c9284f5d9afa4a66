// The exported figure as SVG text: the shared layout drawn with <text>, <rect>, a gradient colour bar and the cells
// as an embedded PNG scaled without smoothing (one pixel per cell), so 512×512 stays a small file. Pure.
import { layoutFigure, type FigureSpec } from '../../shared/figure';

const FONT = 'system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif';

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Numbers with at most two decimals, so the SVG stays readable and diffs stay small. */
function num(x: number): string {
  return String(Math.round(x * 100) / 100);
}

/** `spec` must have passed checkFigureSpec (colours and the data URL are written as they are). */
export function figureSvg(spec: FigureSpec): string {
  const { width, height, ops } = layoutFigure(spec);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(FONT)}">`,
    `<title>${escapeXml(spec.title.join(' — '))}</title>`,
    '<defs><linearGradient id="colorBar" x1="0" y1="1" x2="0" y2="0">',
    ...spec.colorStops.map((s) => `<stop offset="${num(s.offset * 100)}%" stop-color="${s.color}"/>`),
    '</linearGradient></defs>',
  ];
  for (const op of ops) {
    if (op.kind === 'rect') out.push(`<rect x="${num(op.x)}" y="${num(op.y)}" width="${num(op.w)}" height="${num(op.h)}" fill="${op.fill}"/>`);
    else if (op.kind === 'cells') {
      out.push(
        `<image data-testid="cells" x="${num(op.x)}" y="${num(op.y)}" width="${num(op.w)}" height="${num(op.h)}" preserveAspectRatio="none" style="image-rendering:pixelated;image-rendering:crisp-edges" href="${spec.cellsPng}"/>`,
      );
    } else if (op.kind === 'colorBar') out.push(`<rect x="${num(op.x)}" y="${num(op.y)}" width="${num(op.w)}" height="${num(op.h)}" fill="url(#colorBar)"/>`);
    else {
      const anchor = op.anchor === 'start' ? 'start' : op.anchor === 'end' ? 'end' : 'middle';
      const rotate = op.rotate ? ` transform="rotate(-90 ${num(op.x)} ${num(op.y)})"` : '';
      const weight = op.bold ? ' font-weight="bold"' : '';
      out.push(`<text x="${num(op.x)}" y="${num(op.y)}" font-size="${op.size}" text-anchor="${anchor}" fill="${op.fill}"${weight}${rotate} xml:space="preserve">${escapeXml(op.text)}</text>`);
    }
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}
