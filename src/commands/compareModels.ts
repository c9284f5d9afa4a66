// Compare With Another Model…: runs the current analysis's text through another variant of the model (quantized,
// fp16, …) or another model folder, in its own short-lived worker, and ranks every head by how far its attention
// moved (mean Jensen–Shannon distance; character level through the offsets when the tokenizers differ). The panel's
// Compare… then shows any head side by side with a difference heatmap.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { AnalysisController } from '../analysis/analysisController';
import type { LensViews } from '../analysis/lensViews';
import type { Workbench } from '../analysis/workbench';
import { AttentionEngine } from '../engine/analyze';
import type { ModelInfo } from '../engine/types';
import type { AttentionPanel } from '../webviews/attentionPanel';
import { COMMANDS, type Command } from './command';

interface OtherModel {
  folder: string;
  /** An explicit .onnx file name in the folder (a variant), or undefined for the folder's default graph. */
  variant?: string;
  label: string;
}

/** The other ONNX graphs next to the model's own (its variants). */
export function variantsOf(model: Pick<ModelInfo, 'folder' | 'onnxFile'>): string[] {
  const found: string[] = [];
  for (const dir of [path.join(model.folder, 'onnx'), model.folder]) {
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) if (name.endsWith('.onnx') && path.join(dir, name) !== model.onnxFile) found.push(name);
  }
  return [...new Set(found)].sort();
}

async function pickOtherModel(model: ModelInfo, t: Workbench['t']): Promise<OtherModel | undefined> {
  type Item = vscode.QuickPickItem & { other?: OtherModel };
  const items: Item[] = variantsOf(model).map((file) => ({
    label: file,
    description: t('variant of {0}', model.name),
    other: { folder: model.folder, variant: file, label: `${model.name} (${file})` },
  }));
  items.push({ label: t('Another model folder…'), description: t('a folder with config.json, tokenizer.json and onnx/model.onnx') });
  const picked = await vscode.window.showQuickPick(items, { title: t('Compare {0} with', model.name), placeHolder: t('Pick a variant or a model folder') });
  if (!picked) return undefined;
  if (picked.other) return picked.other;
  const folders = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: t('Compare') });
  const folder = folders?.[0]?.fsPath;
  return folder ? { folder, label: path.basename(folder) } : undefined;
}

export function compareModels(controller: AnalysisController, lens: LensViews, panel: AttentionPanel, workbench: Workbench): Command {
  const t = workbench.t;
  return {
    id: COMMANDS.compareModels,
    run: async () => {
      const session = controller.session;
      if (!session) {
        workbench.info(t('Run Show Attention first, then compare its text under another model.'));
        return;
      }
      const other = await pickOtherModel(session.result.model, t);
      if (!other) return;
      const abort = new AbortController();
      const result = await workbench.withProgress(t('Attention Lens: running {0} on the same text…', other.label), abort, async () => {
        const engine = await AttentionEngine.open(other.folder, { variant: other.variant, name: other.label });
        try {
          return await engine.analyze(session.result.text, { signal: abort.signal, maxTokens: workbench.maxTokens() });
        } finally {
          await engine.dispose();
        }
      });
      const comparison = await lens.setOtherModel(session, result, other.label);
      const ranked = [...comparison.heads].sort((a, b) => (b.distance ?? -1) - (a.distance ?? -1));
      workbench.log.info(`Compared ${session.result.model.name} with ${other.label} (${comparison.granularity} level): ${ranked.map((h) => `L${h.layer + 1}H${h.head + 1} ${h.distance?.toFixed(4) ?? '–'}`).join(', ')}${comparison.notes.length ? `. ${comparison.notes.join(' ')}` : ''}`);
      const top = ranked.slice(0, 3).map((h) => `L${h.layer + 1} H${h.head + 1} (${h.distance?.toFixed(3) ?? '–'})`).join(', ');
      panel.reveal();
      workbench.info(t('{0} vs {1}: the heads that differ most are {2}. In the panel, Compare… → "this head: this model vs the other model" shows any head.', session.result.model.name, other.label, top));
    },
  };
}
