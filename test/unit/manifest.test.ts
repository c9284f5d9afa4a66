import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { COMMANDS } from '../../src/commands/command';
import { TINT_BUCKETS } from '../../src/editor/weightBuckets';

const root = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8'));
const contributes = pkg.contributes;
const commandIds: string[] = contributes.commands.map((c: { command: string }) => c.command);

describe('extension manifest', () => {
  it('has a translation for every %key% it uses', () => {
    const keys = [...JSON.stringify(contributes).matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
    assert.ok(keys.length > 20);
    for (const key of keys) assert.ok(typeof nls[key] === 'string' && nls[key].length > 0, `package.nls.json lacks "${key}"`);
  });

  it('registers exactly the commands it contributes, and menus only name those', () => {
    assert.deepStrictEqual(Object.values(COMMANDS).sort(), [...commandIds].sort());
    for (const [menu, items] of Object.entries(contributes.menus) as [string, { command: string }[]][]) {
      for (const item of items) assert.ok(commandIds.includes(item.command), `${menu} names unknown ${item.command}`);
    }
    for (const k of contributes.keybindings) assert.ok(commandIds.includes(k.command));
  });

  it('offers Show Attention in the editor context menu only with a selection, with a keybinding', () => {
    const item = contributes.menus['editor/context'].find((m: { command: string }) => m.command === 'attentionLens.showAttention');
    assert.strictEqual(item.when, 'editorHasSelection');
    assert.ok(contributes.keybindings.some((k: { command: string; when: string }) => k.command === 'attentionLens.showAttention' && k.when === 'editorTextFocus'));
    assert.strictEqual(nls['command.showAttention'], 'Show Attention');
    assert.strictEqual(nls.category, 'Attention Lens');
  });

  it('keeps the settings that choose which files load, and how much memory they take, out of workspace reach', () => {
    const props = contributes.configuration.properties;
    for (const key of ['model', 'modelVariant', 'hubEndpoint', 'cacheDirectory', 'maxTokens']) {
      assert.strictEqual(props[`attentionLens.${key}`].scope, 'machine', key);
    }
    for (const [key, p] of Object.entries(props) as [string, { markdownDescription?: string }][]) assert.ok(p.markdownDescription, `${key} lacks a description`);
  });

  it('contributes one theme colour per tint bucket, and activates to restore the panel', () => {
    const tints = contributes.colors.filter((c: { id: string }) => /^attentionLens\.tint\d+$/.test(c.id));
    assert.strictEqual(tints.length, TINT_BUCKETS);
    assert.ok(pkg.activationEvents.includes('onWebviewPanel:attentionLens.panel'));
    assert.ok(fs.existsSync(path.join(root, contributes.viewsContainers.activitybar[0].icon)));
  });
});
