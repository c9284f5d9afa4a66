// Reads the same environment variables as Python's huggingface_hub, so both tools share one cache and one token.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readRegularText } from '../../engine/regularFile';

export const DEFAULT_HUB_ENDPOINT = 'https://huggingface.co';

export interface HubSettings {
  /** Base URL of the Hub, without a trailing slash (HF_ENDPOINT). */
  endpoint: string;
  /** Folder holding `models--org--name` repos (HF_HUB_CACHE, else $HF_HOME/hub). */
  cacheDir: string;
  /** True when the network must never be touched (HF_HUB_OFFLINE). */
  offline: boolean;
  /** Bearer token, or undefined for anonymous access. Never log it. */
  token?: string;
}

export interface HubSettingsOverrides {
  endpoint?: string;
  cacheDir?: string;
  offline?: boolean;
  token?: string;
}

type Env = Record<string, string | undefined>;

/** huggingface_hub's truthy spellings for boolean variables. */
export function isTruthyEnv(value: string | undefined): boolean {
  return value !== undefined && ['1', 'on', 'yes', 'true'].includes(value.trim().toLowerCase());
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}

/** $HF_HOME, else $XDG_CACHE_HOME/huggingface, else ~/.cache/huggingface. */
export function hfHome(env: Env = process.env): string {
  if (env.HF_HOME) return expandHome(env.HF_HOME);
  const xdg = env.XDG_CACHE_HOME ? expandHome(env.XDG_CACHE_HOME) : path.join(os.homedir(), '.cache');
  return path.join(xdg, 'huggingface');
}

/** $HF_HUB_CACHE (or the legacy HUGGINGFACE_HUB_CACHE), else $HF_HOME/hub. */
export function hubCacheDir(env: Env = process.env): string {
  const explicit = env.HF_HUB_CACHE || env.HUGGINGFACE_HUB_CACHE;
  return explicit ? expandHome(explicit) : path.join(hfHome(env), 'hub');
}

/** $HF_TOKEN (or the legacy HUGGING_FACE_HUB_TOKEN), else the file `huggingface-cli login` writes. */
export function hubToken(env: Env = process.env): string | undefined {
  const fromEnv = (env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN || '').trim();
  if (fromEnv) return fromEnv;
  const tokenFile = env.HF_TOKEN_PATH ? expandHome(env.HF_TOKEN_PATH) : path.join(hfHome(env), 'token');
  try {
    // A token is ~40 bytes; a FIFO or device named by HF_TOKEN_PATH must not hang or flood the reader.
    const fromFile = readRegularText(tokenFile, 64 * 1024).trim();
    return fromFile || undefined;
  } catch {
    return undefined;
  }
}

/** The effective settings: explicit overrides win over the environment. */
export function hubSettings(overrides: HubSettingsOverrides = {}, env: Env = process.env): HubSettings {
  const endpoint = (overrides.endpoint || env.HF_ENDPOINT || DEFAULT_HUB_ENDPOINT).replace(/\/+$/, '');
  return {
    endpoint,
    cacheDir: overrides.cacheDir ? expandHome(overrides.cacheDir) : hubCacheDir(env),
    offline: overrides.offline ?? isTruthyEnv(env.HF_HUB_OFFLINE),
    token: overrides.token?.trim() || hubToken(env),
  };
}
