// Builds the lens tools' host parts on the window's model and controller: the head finder (side panel), value-norm
// matrices and comparisons (attention panel), and the "How to read this" guide.
import * as vscode from 'vscode';
import type { AnalysisController } from '../analysis/analysisController';
import { EditHistory } from '../analysis/editHistory';
import { HeadFinderService } from '../analysis/headFinderService';
import { LensViews } from '../analysis/lensViews';
import type { Workbench } from '../analysis/workbench';
import { Disposable } from '../common/disposable';
import { definitionPairsFor } from '../editor/definitionPairs';
import { findHeads } from '../engine/headFinder';
import type { ActiveModel } from '../models/activeModel';

export const GUIDE_PATH = ['media', 'how-to-read-attention.md'];

export class Lens extends Disposable {
  readonly headFinder: HeadFinderService;
  readonly views: LensViews;

  constructor(
    private readonly extensionUri: vscode.Uri,
    model: ActiveModel,
    controller: AnalysisController,
    workbench: Workbench,
  ) {
    super();
    const onDidChangeSession = controller.onDidChangeSession;
    const sameModel = (onnxFile: string) => {
      const engine = model.engineIfLoaded;
      return engine && engine.info.onnxFile === onnxFile ? engine : undefined;
    };
    const history = this._register(new EditHistory(onDidChangeSession));
    this.headFinder = this._register(
      new HeadFinderService({
        onDidChangeSession,
        findHeads: async (text, opts) => findHeads(await model.engine(), text, opts),
        definitionPairs: definitionPairsFor,
        maxTokens: () => workbench.maxTokens(),
        log: workbench.log,
      }),
    );
    this.views = new LensViews({
      valueNormSupport: (session) => {
        const engine = sameModel(session.result.model.onnxFile);
        if (!engine) return { available: false, reason: workbench.t('the model that ran this analysis is no longer loaded; re-run it.') };
        const p = engine.valueProjections;
        return 'layers' in p ? { available: true } : { available: false, reason: p.missing };
      },
      analyzeValueNorm: async (text, opts) => (await model.engine()).analyze(text, opts),
      maxTokens: () => workbench.maxTokens(),
      before: (session) => history.before(session),
      t: workbench.t,
    });
  }

  /** Opens the guide in the markdown preview beside the panel. */
  readonly openGuide = async (): Promise<void> => {
    const uri = vscode.Uri.joinPath(this.extensionUri, ...GUIDE_PATH);
    await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
  };
}
