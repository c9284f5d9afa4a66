// Clear Highlights: every tint in the editor and the highlighted row in the panel.
import type { EditorLink } from '../editor/editorLink';
import type { AttentionPanel } from '../webviews/attentionPanel';
import { COMMANDS, type Command } from './command';

export function clearHighlights(editorLink: EditorLink, panel: AttentionPanel): Command {
  return {
    id: COMMANDS.clearHighlights,
    run: () => {
      editorLink.clear();
      panel.focusQuery(null);
    },
  };
}
