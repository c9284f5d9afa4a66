// "Select Model…": the bundled model, models already in the Hugging Face cache, known-good Hub models with their
// download sizes, a Hub id typed in, or a local folder (validated before it is stored).
import * as path from 'path';
import * as vscode from 'vscode';
import { describeError } from '../engine/errors';
import { validateModelFolder } from '../engine/modelFolder';
import { inspectAttention } from '../engine/onnxAttention';
import { log } from '../common/log';
import { readModelSettings, storeModelChoice } from '../common/settings';
import { CURATED_MODELS, describeDownloadSize, type CuratedModel } from './curatedModels';
import { hubSettings } from './hub/hubEnv';
import { listCachedModels, type CachedModel } from './hub/hubList';
import { formatBytes } from '../cli/progressBar';
import { parseHubSpec } from './hub/hubRef';
import { checkHubModel, switchToHubModel } from './hubChoice';
import type { HubTokenStore } from './hubTokenStore';
import { modelDisplayName } from './activeModel';
import { describeDownload } from './progressText';

type Choice =
  | { kind: 'bundled' }
  | { kind: 'cached'; model: CachedModel }
  | { kind: 'curated'; model: CuratedModel }
  | { kind: 'enterId' }
  | { kind: 'folder' };

type Item = vscode.QuickPickItem & { choice?: Choice };

/**
 * Lets the user pick a model and stores it in the user settings; returns false when they backed out or the model
 * could not be fetched (the previous model then stays). `tokens` gives the Hub token for gated models.
 */
export async function pickModel(tokens?: HubTokenStore): Promise<boolean> {
  const settings = readModelSettings();
  const current = settings.model;
  const cacheDir = hubSettings({ cacheDir: settings.cacheDirectory }).cacheDir;
  const cached = listCachedModels(cacheDir).filter((m) => m.revisions.some((r) => r.onnxFiles.length > 0));
  const mark = (active: boolean) => (active ? '$(check) ' : '');
  const items: Item[] = [
    { label: `${mark(!current)}$(package) ${vscode.l10n.t('Bundled model')}`, description: vscode.l10n.t('ships with the extension, works offline'), choice: { kind: 'bundled' } },
  ];
  if (cached.length) {
    items.push({ label: vscode.l10n.t('In your Hugging Face cache'), kind: vscode.QuickPickItemKind.Separator });
    for (const model of cached) {
      items.push({
        label: `${mark(sameModel(current, model.id))}$(database) ${model.id}`,
        description: formatBytes(model.sizeOnDisk),
        detail: model.revisions.flatMap((r) => r.onnxFiles).slice(0, 3).join(', '),
        choice: { kind: 'cached', model },
      });
    }
  }
  items.push({ label: vscode.l10n.t('Download from the Hugging Face Hub'), kind: vscode.QuickPickItemKind.Separator });
  for (const model of CURATED_MODELS) {
    items.push({
      label: `${mark(sameModel(current, model.id))}$(cloud-download) ${model.id}`,
      description: describeDownloadSize(model),
      detail: model.description,
      choice: { kind: 'curated', model },
    });
  }
  items.push({ label: vscode.l10n.t('Other'), kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: `$(edit) ${vscode.l10n.t('Enter a Hub id…')}`, description: 'org/name[@revision]', choice: { kind: 'enterId' } });
  items.push({ label: `$(folder-opened) ${vscode.l10n.t('Choose a folder…')}`, description: vscode.l10n.t('config.json, tokenizer.json, onnx/model.onnx'), choice: { kind: 'folder' } });

  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Attention Lens: Select Model'),
    placeHolder: vscode.l10n.t('Current: {0}', current || vscode.l10n.t('bundled model')),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  const choice = picked?.choice;
  if (!choice) return false;
  switch (choice.kind) {
    case 'bundled':
      await storeModelChoice('', '');
      return true;
    case 'cached':
      return fetchThenStore(choice.model.id, undefined, tokens);
    case 'curated':
      return pickCurated(choice.model, tokens);
    case 'enterId':
      return enterHubId(current, tokens);
    case 'folder':
      return chooseFolder(settings.variant);
  }
}

function sameModel(spec: string, id: string): boolean {
  return parseHubSpec(spec)?.id.toLowerCase() === id.toLowerCase();
}

/** Full precision or, where the repo has it, the much smaller quantized file. */
async function pickCurated(model: CuratedModel, tokens: HubTokenStore | undefined): Promise<boolean> {
  let variant = '';
  if (model.downloadMB.quantized) {
    const pick = await vscode.window.showQuickPick(
      [
        { label: vscode.l10n.t('Full precision (fp32)'), description: `~${model.downloadMB.fp32} MB`, variant: '' },
        { label: vscode.l10n.t('Quantized (int8)'), description: `~${model.downloadMB.quantized} MB`, detail: vscode.l10n.t('Smaller download; attention close to, not equal to, the full model'), variant: 'quantized' },
      ],
      { title: model.id },
    );
    if (!pick) return false;
    variant = pick.variant;
  }
  return fetchThenStore(model.id, variant, tokens);
}

async function enterHubId(current: string, tokens: HubTokenStore | undefined): Promise<boolean> {
  const value = await vscode.window.showInputBox({
    title: vscode.l10n.t('Hugging Face model id'),
    prompt: vscode.l10n.t('org/name, optionally @revision (branch, tag or commit), e.g. Xenova/bert-base-uncased@main'),
    value: parseHubSpec(current) ? current : '',
    placeHolder: 'Xenova/bert-base-uncased',
    ignoreFocusOut: true,
    validateInput: (v) => (parseHubSpec(v) ? undefined : vscode.l10n.t('Use the form org/name or org/name@revision.')),
  });
  if (!value) return false;
  return fetchThenStore(value.trim(), undefined, tokens);
}

/**
 * Like a folder, a Hub model is fetched and checked before the setting changes: a model that cannot be downloaded
 * leaves the previous one in place (status bar, side panel and panel keep agreeing) with one short message.
 */
async function fetchThenStore(spec: string, variant: string | undefined, tokens: HubTokenStore | undefined): Promise<boolean> {
  const settings = readModelSettings();
  const previous = modelDisplayName(settings.model);
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Attention Lens: getting {0}', spec), cancellable: true },
    async (progress, cancel) => {
      const abort = new AbortController();
      const sub = cancel.onCancellationRequested(() => abort.abort());
      try {
        const token = await tokens?.get();
        return await switchToHubModel(spec, variant, previous, {
          check: (s, v) =>
            checkHubModel(s, v === undefined ? settings.variant : v || undefined, {
              endpoint: settings.hubEndpoint,
              cacheDir: settings.cacheDirectory,
              token,
              signal: abort.signal,
              onProgress: (p) => progress.report({ message: describeDownload(p) }),
            }),
          store: (s, v) => storeModelChoice(s, v),
        });
      } finally {
        sub.dispose();
      }
    },
  );
  if (outcome.ok) {
    log().info(`Switched to ${outcome.model.label} (${outcome.model.folder}).`);
    return true;
  }
  log().warn(`${spec} was not selected: ${describeError(outcome.error)}`);
  if (outcome.cancelled) return false;
  const setToken = vscode.l10n.t('Set Token…');
  const again = vscode.l10n.t('Try Again');
  const choice = await vscode.window.showErrorMessage(outcome.message, ...(outcome.needsToken ? [setToken] : [again]));
  if (choice === setToken && (await tokens?.prompt())) return fetchThenStore(spec, variant, tokens);
  if (choice === again) return fetchThenStore(spec, variant, tokens);
  return false;
}

/** Checks the folder (files present, attention exposable) before storing it, so a bad choice fails here, clearly. */
async function chooseFolder(variant: string | undefined): Promise<boolean> {
  for (;;) {
    const uris = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      title: vscode.l10n.t('Model folder (config.json, tokenizer.json, onnx/model.onnx)'),
      openLabel: vscode.l10n.t('Use This Model'),
    });
    const folder = uris?.[0]?.fsPath;
    if (!folder) return false;
    try {
      const found = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking {0}…', path.basename(folder)) },
        async () => {
          const model = await validateModelFolder(folder, { variant });
          await inspectAttention(model.onnxFile);
          return model;
        },
      );
      log().info(`Model folder ${folder} is usable (${found.onnxFile}).`);
      await storeModelChoice(folder);
      return true;
    } catch (e) {
      log().warn(`Model folder ${folder} was refused: ${describeError(e)}`);
      const again = vscode.l10n.t('Choose Another Folder…');
      const choice = await vscode.window.showErrorMessage(vscode.l10n.t('This folder cannot be used: {0}', describeError(e)), again);
      if (choice !== again) return false;
    }
  }
}
