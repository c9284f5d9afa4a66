// Status bar item: the active model and what it or the analysis is doing; click to pick another model. It
// follows the model and the analysis controller: the model's own loading or failure shows first.
import * as vscode from 'vscode';
import type { AnalysisStatus } from '../../shared/messages';
import type { AnalysisController } from '../analysis/analysisController';
import type { ActiveModel } from '../models/activeModel';
import { Disposable } from './disposable';

export class LensStatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(
    private readonly model: ActiveModel,
    private readonly controller: AnalysisController,
  ) {
    super();
    this.item = this._register(vscode.window.createStatusBarItem('attentionLens.status', vscode.StatusBarAlignment.Right, 100));
    this.item.name = vscode.l10n.t('Attention Lens Model');
    this.item.command = 'attentionLens.selectModel';
    this._register(model.onDidChangeState(() => this.render()));
    this._register(controller.onDidChangeState(() => this.render()));
    this._register(controller.onDidChangeSession(() => this.render()));
    this.render();
    this.item.show();
  }

  /** The model's own loading or failure, else where the analysis is. */
  private status(): AnalysisStatus {
    const model = this.model.state;
    if (model.kind === 'loading') return model;
    if (model.kind === 'error') return model;
    const analysis = this.controller.status;
    if (analysis.kind === 'cancelled' || analysis.kind === 'idle') return model.kind === 'ready' ? { kind: 'ready' } : { kind: 'idle' };
    // A panel restored after a reload shows its analysis as stale; the status bar says nothing of it yet.
    if (analysis.kind === 'stale' && analysis.message !== undefined) return { kind: 'idle' };
    return analysis;
  }

  private render(): void {
    const name = this.model.displayName || vscode.l10n.t('bundled model');
    const s = this.status();
    const [icon, label] =
      s.kind === 'loading' ? ['$(loading~spin)', vscode.l10n.t('loading')]
      : s.kind === 'running' ? ['$(loading~spin)', vscode.l10n.t('running')]
      : s.kind === 'ready' ? ['$(eye)', vscode.l10n.t('ready')]
      : s.kind === 'stale' ? ['$(history)', vscode.l10n.t('stale')]
      : s.kind === 'error' ? ['$(error)', vscode.l10n.t('error')]
      : ['$(eye)', ''];
    this.item.text = `${icon} ${name}${label ? ` · ${label}` : ''}`;
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(`**Attention Lens** — ${vscode.l10n.t('model')}: \`${name}\`\n\n`);
    if (s.kind === 'loading' && s.detail) tip.appendText(`${s.detail}\n\n`);
    if (s.kind === 'error') tip.appendText(`${s.message}\n\n`);
    if (s.kind === 'stale') tip.appendMarkdown(`${vscode.l10n.t('The analysed text changed; run **Attention Lens: Re-run on Changed Text**.')}\n\n`);
    tip.appendMarkdown(vscode.l10n.t('Click to select another model.'));
    this.item.tooltip = tip;
    this.item.backgroundColor = s.kind === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : s.kind === 'stale' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }
}
