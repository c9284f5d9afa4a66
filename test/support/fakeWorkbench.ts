// Test doubles for the owners' editor side: a Workbench with in-memory documents, an engine source whose runs the
// test settles, and a panel webview that plays the webview's half of the messenger (like PR-github's
// mockWebviewEnvironment). No `vscode` anywhere.
import type { AnalysisEngine, AnalysedDocument, EngineSource, Workbench } from '../../src/analysis/workbench';
import { targetRequestOf, type DecoderRequest } from '../../src/analysis/decoderRequest';
import { AttentionLensError } from '../../src/engine/errors';
import type { AttentionResult } from '../../src/engine/types';
import { Messenger, type ReplyEnvelope, type RequestEnvelope } from '../../shared/messenger';
import type { HostRequests, PanelRequests, ToWebviewMessage } from '../../shared/messages';
import type { PanelWebview, PanelWebviewEvents } from '../../src/webviews/attentionPanel';
import { fakeResult, withTarget } from '../unit/support/fakeResult';

const format = (message: string, args: (string | number)[]) => message.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)]));

export class FakeWorkbench implements Workbench {
  readonly documents = new Map<string, string>();
  readonly openTabs = new Set<string>();
  readonly shown: { level: 'info' | 'warn' | 'error'; message: string }[] = [];
  readonly logged: string[] = [];
  readonly log = {
    debug: (m: string) => this.logged.push(m),
    info: (m: string) => this.logged.push(m),
    warn: (m: string) => this.logged.push(m),
    error: (m: string) => this.logged.push(m),
  };
  t = (message: string, ...args: (string | number)[]) => format(message, args);
  info = (message: string) => void this.shown.push({ level: 'info', message });
  warn = (message: string) => void this.shown.push({ level: 'warn', message });
  reportError = (e: unknown, what: string) => void this.shown.push({ level: 'error', message: `${what}: ${e instanceof Error ? e.message : String(e)}` });
  openDocument = async (uri: string): Promise<AnalysedDocument | undefined> => {
    if (!this.documents.has(uri)) return undefined;
    return {
      uri,
      fileName: uri.split('/').pop() ?? uri,
      getText: (r) => {
        const text = this.documents.get(uri) ?? '';
        return r ? text.slice(r.start, r.end) : text;
      },
    };
  };
  isOpenInTab = (uri: string) => this.openTabs.has(uri);
  private readonly tabListeners = new Set<{ uri: string; listener: () => void }>();
  onDidShowInTab = (uri: string, listener: () => void) => {
    const entry = { uri, listener };
    this.tabListeners.add(entry);
    return { dispose: () => void this.tabListeners.delete(entry) };
  };
  /** A tab shows `uri` now (a reload restoring the tabs, or the user opening the file). */
  openTab(uri: string): void {
    this.openTabs.add(uri);
    for (const { uri: wanted, listener } of [...this.tabListeners]) if (wanted === uri) listener();
  }
  /** How many tab listeners are still subscribed. */
  get tabListenerCount(): number {
    return this.tabListeners.size;
  }
  withProgress = <T>(_title: string, _abort: AbortController, task: () => Promise<T>) => task();
  maxTokens = () => 512;
  /** What the user types when asked for a target ('' = Generate); undefined dismisses the question. */
  targetAnswer: string | undefined = '';
  /** The models the user was asked a target for. */
  readonly askedTarget: string[] = [];
  askTarget = async (modelName: string): Promise<DecoderRequest | undefined> => {
    this.askedTarget.push(modelName);
    return this.targetAnswer === undefined ? undefined : targetRequestOf(this.targetAnswer);
  };
}

/** An engine source whose model the test names and whose runs can be made to fail or wait. */
export class FakeModel implements EngineSource {
  name = 'model-a';
  layers = 2;
  heads = 3;
  /** The name of the loaded engine (undefined: none loaded). */
  loadedAs: string | undefined;
  /** The next analyze() throws this. */
  failNext: Error | undefined;
  /** When set, analyze() waits for this before answering. */
  gate: Promise<void> | undefined;
  readonly analysed: string[] = [];
  /** Set: the model is an encoder–decoder with this many decoder layers (a target is required, as the real engine's). */
  decoderLayers: number | undefined;
  /** The options of every analyze() call. */
  readonly options: { target?: string; generate?: number }[] = [];
  /** Merged into every result (truncated, memoryLimitNote, unknownTokensNote…), as the engine would set them. */
  resultExtras: Partial<AttentionResult> = {};

  get engineIfLoaded(): AnalysisEngine | undefined {
    return this.loadedAs !== undefined ? this.engineNow() : undefined;
  }

  async engine(): Promise<AnalysisEngine> {
    this.loadedAs = this.name;
    return this.engineNow();
  }

  /** `name` plays the model setting: the loaded engine matches it until the test renames the model. */
  matchesSettings(): boolean {
    return this.loadedAs === this.name;
  }

  unload(): void {
    this.loadedAs = undefined;
  }

  private engineNow(): AnalysisEngine {
    const { name, layers, heads } = this;
    const decoderLayers = this.decoderLayers;
    const shape = fakeResult('x', layers, heads);
    const info = { ...(decoderLayers ? withTarget(shape, 'x', decoderLayers) : shape).model, name };
    return {
      info,
      analyze: async (text: string, opts?: { signal?: AbortSignal; target?: string; generate?: number }): Promise<AttentionResult> => {
        this.analysed.push(text);
        this.options.push({ target: opts?.target, generate: opts?.generate });
        if (this.gate) await this.gate;
        if (opts?.signal?.aborted) throw new AttentionLensError('CANCELLED', 'The analysis was cancelled.', '');
        const failure = this.failNext;
        this.failNext = undefined;
        if (failure) throw failure;
        const result = fakeResult(text, layers, heads);
        if (decoderLayers && (opts?.target !== undefined || opts?.generate)) {
          return { ...withTarget(result, opts.target ?? 'der fuchs', decoderLayers, opts.target === undefined), ...this.resultExtras, model: info };
        }
        return { ...result, ...this.resultExtras, model: info };
      },
    };
  }
}

/**
 * One open attention panel as the webview sees it: records what the host posts, answers the host's requests with
 * its own Messenger (renderPng → a PNG data URL), and sends messages the way the real webview does.
 */
export class FakePanelWebview implements PanelWebview {
  readonly posted: ToWebviewMessage[] = [];
  title = '';
  revealed = 0;
  disposed = false;
  readonly messenger: Messenger<HostRequests, PanelRequests>;

  constructor(readonly events: PanelWebviewEvents) {
    this.messenger = new Messenger<HostRequests, PanelRequests>({
      post: (envelope) => events.message(envelope),
      answer: () => ({ dataUrl: 'data:image/png;base64,iVBORw0KGgo=' }),
    });
  }

  post(message: ToWebviewMessage): void {
    this.posted.push(message);
    if (message.type === 'request' || message.type === 'reply') void this.messenger.receive(message as RequestEnvelope | ReplyEnvelope);
  }

  reveal(): void {
    this.revealed++;
  }

  setTitle(title: string): void {
    this.title = title;
  }

  dispose(): void {
    this.disposed = true;
    this.events.disposed();
  }

  /** The messages of one type the host posted. */
  of<T extends ToWebviewMessage['type']>(type: T): Extract<ToWebviewMessage, { type: T }>[] {
    return this.posted.filter((m): m is Extract<ToWebviewMessage, { type: T }> => m.type === type);
  }

  /** The webview (re)loaded and says ready. */
  ready(): void {
    this.events.message({ type: 'ready' });
  }
}

/** Lets pending promise callbacks run. */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
