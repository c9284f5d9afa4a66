// The one handle on VS Code's webview API, typed with our protocol. acquireVsCodeApi() may be called only once.
import type { FromWebviewMessage } from '../../shared/messages';

export interface VsCodeApi<S> {
  postMessage(message: FromWebviewMessage): void;
  getState(): S | undefined;
  setState(state: S): void;
}

declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

let api: VsCodeApi<unknown> | undefined;

/** The webview API (the harness and tests provide a stub `acquireVsCodeApi`). */
export function vscodeApi<S>(): VsCodeApi<S> {
  api ??= acquireVsCodeApi<unknown>();
  return api as VsCodeApi<S>;
}

/** Sends webview errors to the extension's log instead of losing them in the devtools console. */
export function reportErrorsToHost(): void {
  const send = (message: string) => vscodeApi().postMessage({ type: 'log', level: 'error', message });
  window.addEventListener('error', (e) => send(`${e.message} (${e.filename}:${e.lineno})`));
  window.addEventListener('unhandledrejection', (e) => send(String(e.reason instanceof Error ? e.reason.stack ?? e.reason.message : e.reason)));
}
