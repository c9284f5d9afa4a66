// Status bar item: the active model and what it is doing; click to pick another model.
import * as vscode from 'vscode';
import { Disposable } from './disposable';

export type LensState =
  | { kind: 'idle' }
  | { kind: 'loading'; detail?: string }
  | { kind: 'running' }
  | { kind: 'ready' }
  | { kind: 'stale' }
  | { kind: 'error'; message: string };

export class LensStatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private modelName = '';
  private state: LensState = { kind: 'idle' };

  constructor() {
    super();
    this.item = this._register(vscode.window.createStatusBarItem('attentionLens.status', vscode.StatusBarAlignment.Right, 100));
    this.item.name = vscode.l10n.t('Attention Lens Model');
    this.item.command = 'attentionLens.selectModel';
    this.render();
    this.item.show();
  }

  setModel(name: string): void {
    this.modelName = name;
    this.render();
  }

  setState(state: LensState): void {
    this.state = state;
    this.render();
  }

  private render(): void {
    const name = this.modelName || vscode.l10n.t('bundled model');
    const s = this.state;
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
