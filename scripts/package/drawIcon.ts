// `npm run icon`: draws media/icon.png, the 128×128 Marketplace icon (the Marketplace refuses SVG icons): a lens over
// a 6×6 attention heatmap whose strong cells are the diagonal and the previous token, like the bundled model's heads.
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

export const ICON_SIZE = 128;
const SUPERSAMPLES = 4; // 4×4 samples per pixel for smooth edges

type Rgb = readonly [number, number, number];
const background: Rgb = [0x1b, 0x22, 0x33];
const cellBase: Rgb = [0x2c, 0x3a, 0x57];
const hot: Rgb = [0xff, 0xb0, 0x00];
const lens: Rgb = [0xe8, 0xee, 0xf7];

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [0, 1, 2].map((i) => a[i] + (b[i] - a[i]) * t) as unknown as Rgb;

/** Attention weight of query row i on key column j: itself, the previous token, the first token, else a little. */
function weight(i: number, j: number): number {
  if (j > i) return 0.05;
  if (j === i) return 1;
  if (j === i - 1) return 0.7;
  return j === 0 ? 0.35 : 0.12;
}

function insideRoundedSquare(x: number, y: number, size: number, radius: number): boolean {
  const dx = Math.max(radius - x, 0, x - (size - radius));
  const dy = Math.max(radius - y, 0, y - (size - radius));
  return dx * dx + dy * dy <= radius * radius;
}

function distanceToSegment(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
}

/** Colour and opacity at one sample point (coordinates in icon pixels). */
function sample(x: number, y: number): { rgb: Rgb; alpha: number } {
  if (!insideRoundedSquare(x, y, ICON_SIZE, 24)) return { rgb: background, alpha: 0 };
  const ring = Math.abs(Math.hypot(x - 54, y - 54) - 36);
  if (ring <= 4 || distanceToSegment(x, y, 82, 82, 108, 108) <= 7) return { rgb: lens, alpha: 1 };
  if (Math.hypot(x - 54, y - 54) > 32) return { rgb: background, alpha: 1 }; // the heatmap is seen through the lens
  const grid = { left: 54 - 3 * 8.5, top: 54 - 3 * 8.5, cell: 8.5, gap: 1.5 };
  const col = Math.floor((x - grid.left) / grid.cell);
  const row = Math.floor((y - grid.top) / grid.cell);
  const inCell = (x - grid.left) % grid.cell < grid.cell - grid.gap && (y - grid.top) % grid.cell < grid.cell - grid.gap;
  if (col >= 0 && col < 6 && row >= 0 && row < 6 && inCell) return { rgb: mix(cellBase, hot, weight(row, col)), alpha: 1 };
  return { rgb: background, alpha: 1 };
}

/** RGBA pixels, row by row. */
export function drawIconPixels(): Buffer {
  const pixels = Buffer.alloc(ICON_SIZE * ICON_SIZE * 4);
  for (let py = 0; py < ICON_SIZE; py++) {
    for (let px = 0; px < ICON_SIZE; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < SUPERSAMPLES; sy++) {
        for (let sx = 0; sx < SUPERSAMPLES; sx++) {
          const { rgb, alpha } = sample(px + (sx + 0.5) / SUPERSAMPLES, py + (sy + 0.5) / SUPERSAMPLES);
          for (let c = 0; c < 3; c++) sum[c] += rgb[c] * alpha;
          sum[3] += alpha;
        }
      }
      const offset = (py * ICON_SIZE + px) * 4;
      const coverage = sum[3];
      for (let c = 0; c < 3; c++) pixels[offset + c] = coverage ? Math.round(sum[c] / coverage) : 0;
      pixels[offset + 3] = Math.round((coverage / SUPERSAMPLES ** 2) * 255);
    }
  }
  return pixels;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG file (8-bit RGBA, no filtering) of `pixels`. */
export function encodePng(pixels: Buffer, width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA), deflate, no filter method extras, no interlace
  const rows = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) pixels.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export const iconPath = path.resolve(__dirname, '..', '..', 'media', 'icon.png');

if (require.main === module) {
  fs.writeFileSync(iconPath, encodePng(drawIconPixels(), ICON_SIZE, ICON_SIZE));
  console.log(`wrote ${path.relative(process.cwd(), iconPath)}`);
}
