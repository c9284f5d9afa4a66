// Export from the panel: its PNG/CSV/JSON buttons, and the heatmap PNG the host asks for (Export Heatmap command).
import type { ExportReply } from '../../shared/messages';
import { announce } from './marks';
import { showError } from './matrixDisplay';
import type { Panel } from './state';

/** Longest wait for the first paint of a panel that was just (re)loaded to answer `renderPng`. */
const FIRST_PAINT_TIMEOUT_MS = 20_000;

/** The heatmap as a PNG data URL, for the host's `renderPng` request; waits for the first paint after a reload. */
export async function renderPng(panel: Panel): Promise<{ dataUrl: string }> {
  if (!panel.state.matrix) await whenPainted(panel);
  return { dataUrl: panel.heatmap.toPng() };
}

function whenPainted(panel: Panel): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The heatmap has not been drawn yet.')), FIRST_PAINT_TIMEOUT_MS);
    panel.state.paintWaiters.push(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export function wireExportButtons(panel: Panel): void {
  const { dom, host } = panel;
  dom.exportButtons.png.addEventListener('click', () => {
    if (!panel.state.matrix) return;
    void reportSaved(panel, host.request({ type: 'exportImage', dataUrl: panel.heatmap.toPng() }, 'Export image'));
  });
  for (const format of ['csv', 'json'] as const) {
    dom.exportButtons[format].addEventListener('click', () =>
      reportSaved(panel, host.request({ type: 'exportData', format, view: panel.state.view }, `Export ${format.toUpperCase()}`)),
    );
  }
}

/** Says where an export went (nothing when the user closed the dialog), or why it failed. */
async function reportSaved(panel: Panel, reply: Promise<ExportReply>): Promise<void> {
  try {
    const { savedTo } = await reply;
    if (!savedTo) return;
    announce(panel, `Saved to ${savedTo}`);
    panel.dom.status.textContent = `Saved to ${savedTo}`;
  } catch (err) {
    showError(panel, (err as Error).message);
  }
}
