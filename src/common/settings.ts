// Reads the `attentionLens.*` settings in one place, with defaults and clamping.
import * as vscode from 'vscode';
import type { ColorScale } from '../../shared/messages';

export const SECTION = 'attentionLens';

/** Settings that decide which files get loaded: changing any of them means a new engine. */
export const MODEL_SETTINGS = ['model', 'modelVariant', 'hubEndpoint', 'cacheDirectory'] as const;

export interface ModelSettings {
  /** Empty → bundled model; a folder path; or a Hub id[@revision]. */
  model: string;
  variant: string | undefined;
  hubEndpoint: string | undefined;
  cacheDirectory: string | undefined;
  maxTokens: number;
}

export interface DisplaySettings {
  hideSpecialTokens: boolean;
  colorScale: ColorScale;
  topTokensInHover: number;
}

/**
 * Machine-scoped settings are read from the user / machine value only: VS Code already ignores a workspace value for
 * `machine` scope, and this makes it explicit, so a cloned repository cannot choose which files get loaded.
 */
function machineSetting(config: vscode.WorkspaceConfiguration, key: string): string {
  const value = machineValue<string>(config, key);
  return typeof value === 'string' ? value.trim() : '';
}

/** The user / machine value of `key`, never a workspace's; undefined when unset. */
function machineValue<T>(config: vscode.WorkspaceConfiguration, key: string): T | undefined {
  const inspected = config.inspect<T>(key);
  const fromWorkspace = inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined;
  // On a remote (code-server) the machine value lives in the remote user settings, which get() includes.
  // Unset → '' (not the default), so e.g. an unset hubEndpoint lets HF_ENDPOINT apply.
  const value = inspected?.globalValue ?? (fromWorkspace ? undefined : config.get<T>(key));
  return value !== inspected?.defaultValue ? value : undefined;
}

export function readModelSettings(): ModelSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const variant = machineSetting(config, 'modelVariant');
  const endpoint = machineSetting(config, 'hubEndpoint');
  const cache = machineSetting(config, 'cacheDirectory');
  return {
    model: machineSetting(config, 'model'),
    variant: variant && variant !== 'fp32' ? variant : undefined,
    hubEndpoint: endpoint || undefined,
    cacheDirectory: cache || undefined,
    // Machine-scoped like the model: a cloned repository's settings must not size the extension host's memory.
    maxTokens: clampInt(machineValue<number>(config, 'maxTokens'), 2, 8192, 512),
  };
}

export function readDisplaySettings(): DisplaySettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const scale = config.get<string>('colorScale');
  return {
    hideSpecialTokens: config.get<boolean>('hideSpecialTokens') === true,
    colorScale: scale === 'linear' || scale === 'log' ? scale : 'sqrt',
    topTokensInHover: clampInt(config.get<number>('topTokensInHover'), 0, 50, 5),
  };
}

/** Stores the model choice in the user settings (machine scope cannot live in a workspace). */
export async function storeModelChoice(model: string, variant?: string): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  if (variant !== undefined) await config.update('modelVariant', variant, vscode.ConfigurationTarget.Global);
  await config.update('model', model, vscode.ConfigurationTarget.Global);
}

function clampInt(v: number | undefined, min: number, max: number, fallback: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) return fallback;
  return Math.min(max, Math.max(min, Math.round(v)));
}
