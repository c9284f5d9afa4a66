// The gradient bar under the heatmap: weight 0 on the left, the view's largest visible weight on the right.
import { LUT_LEVELS } from '../common/colorRamp';
import { formatWeight } from '../../shared/formatWeight';
import type { ColorScale } from '../../shared/messages';

export class ColorLegend {
  readonly element = document.createElement('div');
  private readonly bar = Object.assign(document.createElement('canvas'), { className: 'legend-bar' });
  private readonly maxLabel = document.createElement('span');
  private readonly scaleLabel = document.createElement('span');

  constructor() {
    this.element.className = 'legend';
    this.element.setAttribute('aria-hidden', 'true');
    const zero = document.createElement('span');
    zero.textContent = formatWeight(0);
    this.bar.className = 'legend-bar';
    this.bar.width = 256;
    this.bar.height = 1;
    this.scaleLabel.className = 'legend-scale';
    this.element.append(zero, this.bar, this.maxLabel, this.scaleLabel);
  }

  update(lut: Uint32Array, max: number, scale: ColorScale): void {
    const ctx = this.bar.getContext('2d')!;
    const pixels = new Uint32Array(256);
    for (let i = 0; i < 256; i++) pixels[i] = lut[Math.round((i / 255) * (LUT_LEVELS - 1))];
    ctx.putImageData(new ImageData(new Uint8ClampedArray(pixels.buffer), 256, 1), 0, 0);
    this.maxLabel.textContent = formatWeight(max);
    this.scaleLabel.textContent = scale === 'linear' ? '' : `(${scale} scale)`;
  }
}
