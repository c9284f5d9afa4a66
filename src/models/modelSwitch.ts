// A model switch: the model settings changed (by the picker or by hand), so drop the engine and re-run the open
// analysis, or the last failed one, with the new model. The picker writes two settings (model, then variant):
// its writes are handled once, after it returns. Pure of `vscode`: the picker and the panel come in as functions.
import type { AnalysisController } from '../analysis/analysisController';
import type { Workbench } from '../analysis/workbench';
import type { EngineSource } from '../analysis/workbench';

export interface SwitchableModel extends EngineSource {
  /** True when the loaded (or loading) engine is the one the settings now ask for. */
  matchesSettings(): boolean;
  unload(): void;
}

export class ModelSwitch {
  /** The picker running now, whose settings writes wait for it to return. */
  private picking: Promise<boolean> | undefined;

  constructor(
    private readonly model: SwitchableModel,
    private readonly controller: Pick<AnalysisController, 'canRerun' | 'rerun'>,
    private readonly panelIsOpen: () => boolean,
    private readonly workbench: Workbench,
  ) {}

  /** Runs the model picker; the picked model is loaded right away, so a download starts when people expect it. */
  async pick(picker: () => Promise<boolean>): Promise<void> {
    const picking = picker();
    this.picking = picking;
    let picked = false;
    try {
      picked = await picking;
    } finally {
      if (this.picking === picking) this.picking = undefined;
    }
    if (picked) this.settingsChanged(true);
  }

  /** The model settings changed; `preload` loads the model even when there is nothing to re-run. */
  settingsChanged(preload = false): void {
    if (this.picking || this.model.matchesSettings()) return;
    this.model.unload();
    // Also after a failed analysis: picking another model from the error message should just work.
    if (this.panelIsOpen() && this.controller.canRerun) void this.controller.rerun();
    else if (preload) this.model.engine().catch((e) => this.workbench.reportError(e, this.workbench.t('Attention Lens could not load the model')));
  }
}
