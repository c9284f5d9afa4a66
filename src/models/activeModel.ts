// The one AttentionEngine of the window: loaded on first use for the configured model (downloading it from the Hub
// if needed, with cancellable progress), disposed when the model settings change and on deactivate.
import * as path from 'path';
import * as vscode from 'vscode';
import { Disposable } from '../common/disposable';
import { AttentionEngine } from '../engine/analyze';
import { AttentionLensError } from '../engine/errors';
import type { HubTokenStore } from './hubTokenStore';
import { resolveModelSpec } from './resolveModel';
import { log } from '../common/log';
import { describeDownload } from './progressText';
import { readModelSettings, type ModelSettings } from '../common/settings';

export type ModelState = { kind: 'unloaded' } | { kind: 'loading'; detail?: string } | { kind: 'ready' } | { kind: 'error'; message: string };

interface Loaded {
  key: string;
  engine: AttentionEngine;
}

/** The name people see for a model setting: "bundled model", a folder name, or the Hub id. */
export function modelDisplayName(spec: string): string {
  if (!spec) return vscode.l10n.t('bundled model');
  return looksLikePath(spec) ? path.basename(spec) : spec;
}

/** Judged from the text alone: the extension host's working directory says nothing about what the user meant. */
function looksLikePath(spec: string): boolean {
  return path.isAbsolute(spec) || spec.startsWith('~') || spec.startsWith('.');
}

/** Relative model folders are relative to the (first) workspace folder, never to the extension host's cwd. */
export function relativeModelBase(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.scheme === 'file' ? vscode.workspace.workspaceFolders[0].uri.fsPath : undefined;
}

export class ActiveModel extends Disposable {
  private loaded: Loaded | undefined;
  private loading: { key: string; promise: Promise<AttentionEngine>; abort: AbortController } | undefined;
  private readonly _onDidChangeState = this._register(new vscode.EventEmitter<ModelState>());
  readonly onDidChangeState = this._onDidChangeState.event;
  private _state: ModelState = { kind: 'unloaded' };

  constructor(private readonly tokens: HubTokenStore) {
    super();
  }

  get state(): ModelState {
    return this._state;
  }

  /** Display name of the configured model (loaded or not). */
  get displayName(): string {
    return this.loaded?.engine.info.name ?? modelDisplayName(readModelSettings().model);
  }

  get engineIfLoaded(): AttentionEngine | undefined {
    return this.loaded?.engine;
  }

  /** The engine for the current settings; loads it (with a progress notification) when missing. */
  async engine(): Promise<AttentionEngine> {
    const settings = readModelSettings();
    const key = settingsKey(settings);
    if (this.loaded?.key === key) return this.loaded.engine;
    if (this.loading?.key === key) return this.loading.promise;
    void this.unload();
    const abort = new AbortController();
    const promise = this.load(settings, key, abort);
    this.loading = { key, promise, abort };
    try {
      return await promise;
    } finally {
      if (this.loading?.promise === promise) this.loading = undefined;
    }
  }

  /** True when the loaded (or loading) engine is the one the settings now ask for. */
  matchesSettings(): boolean {
    const key = settingsKey(readModelSettings());
    return (this.loading?.key ?? this.loaded?.key) === key;
  }

  /**
   * Drops the engine (model settings changed); the next engine() call loads the new model. A run in flight is
   * cancelled at once; the returned promise settles when its onnxruntime session is released.
   */
  unload(): Promise<void> {
    this.loading?.abort.abort();
    this.loading = undefined;
    const old = this.loaded;
    this.loaded = undefined;
    let released = Promise.resolve();
    if (old) {
      log().info(`Unloading ${old.engine.info.name}`);
      released = old.engine.dispose().catch((e) => log().warn(`Disposing ${old.engine.info.name} failed: ${String(e)}`));
    }
    this.setState({ kind: 'unloaded' });
    return released;
  }

  /** For deactivate: unloads and waits until the worker has released its session, so the host exits cleanly. */
  async close(): Promise<void> {
    await this.unload();
    this.dispose();
  }

  override dispose(): void {
    void this.unload();
    super.dispose();
  }

  private setState(state: ModelState): void {
    this._state = state;
    this._onDidChangeState.fire(state);
  }

  private load(settings: ModelSettings, key: string, abort: AbortController): Promise<AttentionEngine> {
    const name = modelDisplayName(settings.model);
    this.setState({ kind: 'loading' });
    return Promise.resolve(
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Attention Lens: loading {0}', name), cancellable: true },
        async (progress, cancel) => {
          const onCancel = cancel.onCancellationRequested(() => abort.abort());
          const started = Date.now();
          try {
            const report = (message: string) => {
              progress.report({ message });
              this.setState({ kind: 'loading', detail: message });
            };
            const token = await this.tokens.get();
            if (settings.model) report(vscode.l10n.t('locating {0}…', name));
            const resolved = await resolveModelSpec(settings.model || undefined, {
              variant: settings.variant,
              cwd: relativeModelBase(),
              endpoint: settings.hubEndpoint,
              cacheDir: settings.cacheDirectory,
              token,
              signal: abort.signal,
              onProgress: (p) => report(describeDownload(p)),
              onNotice: (message) => {
                log().warn(message);
                void vscode.window.showWarningMessage(message);
              },
            });
            if (abort.signal.aborted) throw cancelled(name);
            const { folder, variant } = resolved;
            if (resolved.source === 'hub') log().info(`${resolved.label}: snapshot ${resolved.commit} (${resolved.onnxFile})`);
            report(vscode.l10n.t('preparing the ONNX graph and starting onnxruntime…'));
            log().info(`Opening ${folder}${variant ? ` (variant ${variant})` : ''}`);
            const engine = await AttentionEngine.open(folder, { variant, name: resolved.label });
            if (abort.signal.aborted) {
              void engine.dispose();
              throw cancelled(name);
            }
            const { info } = engine;
            log().info(`Loaded ${info.name}: ${info.modelType}, ${info.layers} layers × ${info.heads} heads, up to ${info.maxTokens} tokens, in ${Date.now() - started} ms (${info.onnxFile})`);
            this.loaded = { key, engine };
            this.setState({ kind: 'ready' });
            return engine;
          } catch (e) {
            // A load aborted because the settings changed is not an error of the model now configured.
            if (!abort.signal.aborted) this.setState({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
            throw e;
          } finally {
            onCancel.dispose();
          }
        },
      ),
    );
  }
}

/** What makes a different engine (maxTokens is per analysis, so it is not part of it). */
function settingsKey(s: ModelSettings): string {
  return JSON.stringify([s.model, s.variant, s.hubEndpoint, s.cacheDirectory]);
}

function cancelled(name: string): AttentionLensError {
  return new AttentionLensError('CANCELLED', `Loading ${name} was cancelled.`, '');
}
