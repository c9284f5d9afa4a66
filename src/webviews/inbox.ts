// The one door for messages from a webview (the less-trusted side): validated by the protocol, malformed ones
// reported and dropped, handler failures caught. Pure: no `vscode`, so the never-throws promise is testable.
import { parseFromWebview } from '../../shared/parseMessage';
import { type FromWebviewMessage } from '../../shared/messages';

export interface InboxLog {
  warn(message: string): void;
  error(message: string): void;
}

/** Validates `raw` and hands it to `handle`; nothing here throws or rejects, whatever the webview sent. */
export async function receiveWebviewMessage(
  raw: unknown,
  source: string,
  handle: (message: FromWebviewMessage) => unknown,
  log: InboxLog,
): Promise<void> {
  const message = parseFromWebview(raw);
  if (!message) {
    log.warn(`Ignored a malformed message from the ${source}: ${preview(raw)}`);
    return;
  }
  try {
    await handle(message);
  } catch (e) {
    log.error(`Handling "${message.type}" from the ${source} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
}

/** A short, single-line rendering of an untrusted value for the log. */
export function preview(raw: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(raw) ?? String(raw);
  } catch {
    text = Object.prototype.toString.call(raw);
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
