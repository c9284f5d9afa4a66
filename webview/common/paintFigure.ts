// Paints the exported figure's layout (shared/figure.ts) on a canvas and returns it as a PNG data URL: the same
// title, labels, cells and colour bar as the SVG export, at `pixelRatio` times the layout size for print.
import { layoutFigure, type FigureSpec } from '../../shared/figure';

const FONT = 'system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif';

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('the heatmap image could not be decoded'));
    img.src = url;
  });
}

export async function figurePng(spec: FigureSpec, pixelRatio = 2): Promise<string> {
  const { width, height, ops } = layoutFigure(spec);
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * pixelRatio);
  canvas.height = Math.round(height * pixelRatio);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas for the export');
  ctx.scale(pixelRatio, pixelRatio);
  const cells = await loadImage(spec.cellsPng);
  for (const op of ops) {
    if (op.kind === 'rect') {
      ctx.fillStyle = op.fill;
      ctx.fillRect(op.x, op.y, op.w, op.h);
    } else if (op.kind === 'cells') {
      // One pixel per cell, scaled up with hard edges like the panel draws it.
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(cells, op.x, op.y, op.w, op.h);
    } else if (op.kind === 'colorBar') {
      const gradient = ctx.createLinearGradient(0, op.y + op.h, 0, op.y);
      for (const s of spec.colorStops) gradient.addColorStop(s.offset, s.color);
      ctx.fillStyle = gradient;
      ctx.fillRect(op.x, op.y, op.w, op.h);
    } else {
      ctx.save();
      ctx.font = `${op.bold ? 'bold ' : ''}${op.size}px ${FONT}`;
      ctx.fillStyle = op.fill;
      ctx.textAlign = op.anchor === 'middle' ? 'center' : op.anchor;
      ctx.textBaseline = 'alphabetic';
      ctx.translate(op.x, op.y);
      if (op.rotate) ctx.rotate(-Math.PI / 2);
      ctx.fillText(op.text, 0, 0);
      ctx.restore();
    }
  }
  return canvas.toDataURL('image/png');
}

/** One pixel per cell as a PNG data URL, from packed RGBA pixels (renderMatrixPixels' output). */
export function cellsPngOf(pixels: Uint32Array, rows: number, cols: number): string {
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, cols);
  canvas.height = Math.max(1, rows);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas for the export');
  const image = ctx.createImageData(canvas.width, canvas.height);
  new Uint32Array(image.data.buffer).set(pixels.subarray(0, canvas.width * canvas.height));
  ctx.putImageData(image, 0, 0);
  return canvas.toDataURL('image/png');
}
