// The Hugging Face token lives in VS Code's SecretStorage (the OS keychain), never in settings or the log.
import * as vscode from 'vscode';

const SECRET_KEY = 'attentionLens.huggingFaceToken';

/** Hugging Face user access tokens: "hf_" and at least 30 letters/digits. Older tokens lack the prefix. */
export function looksLikeHubToken(value: string): boolean {
  return /^(hf_)?[A-Za-z0-9]{30,}$/.test(value.trim());
}

export class HubTokenStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  /** The stored token, or undefined (then the Hub client falls back to HF_TOKEN / the huggingface-cli login file). */
  async get(): Promise<string | undefined> {
    try {
      return (await this.secrets.get(SECRET_KEY)) || undefined;
    } catch {
      // A locked keychain must not break anonymous downloads.
      return undefined;
    }
  }

  /** Asks for a token in a password box and stores it; returns true when one was stored. */
  async prompt(): Promise<boolean> {
    const value = await vscode.window.showInputBox({
      title: vscode.l10n.t('Hugging Face Token'),
      prompt: vscode.l10n.t('Paste a Hugging Face access token (read access is enough). It is kept in the OS keychain and only sent to the configured Hub endpoint.'),
      placeHolder: 'hf_…',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' || looksLikeHubToken(v) ? undefined : vscode.l10n.t('This does not look like a Hugging Face token (hf_ followed by letters and digits).')),
    });
    if (!value?.trim()) return false;
    await this.secrets.store(SECRET_KEY, value.trim());
    return true;
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
  }
}
