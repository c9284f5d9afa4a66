// Export Heatmap as PNG: the panel draws it, the user picks where it goes.
import type { AttentionPanel } from '../webviews/attentionPanel';
import { COMMANDS, type Command } from './command';

export function exportImage(panel: AttentionPanel): Command {
  return { id: COMMANDS.exportImage, run: () => panel.exportImage() };
}
