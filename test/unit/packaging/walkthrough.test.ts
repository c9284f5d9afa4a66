import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const nls: Record<string, string> = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8'));
const contributes = pkg.contributes;
const commandIds: string[] = contributes.commands.map((c: { command: string }) => c.command);
const viewIds: string[] = Object.values(contributes.views as Record<string, { id: string }[]>).flat().map((v) => v.id);
const settingIds = Object.keys(contributes.configuration.properties);

interface Step { id: string; title: string; description: string; media: { markdown?: string }; completionEvents?: string[] }
const walkthrough: { id: string; steps: Step[] } = contributes.walkthroughs[0];
const text = (value: string) => nls[value.replace(/^%|%$/g, '')] ?? value;

/** Every host source file's text (the files import vscode, so they are read rather than loaded). */
function hostSources(dir = path.join(root, 'src')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? hostSources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [fs.readFileSync(path.join(dir, e.name), 'utf8')] : [],
  );
}

/** Whether the extension sets the context key a step waits for. */
function contextKeySetInSource(key: string): boolean {
  const sources = hostSources();
  const walkthroughSource = fs.readFileSync(path.join(root, 'src', 'commands', 'walkthrough.ts'), 'utf8');
  const hoverKey = /export const HOVERED_CELL_CONTEXT = '([^']+)'/.exec(walkthroughSource)?.[1];
  if (key === hoverKey) {
    return walkthroughSource.includes("'setContext', HOVERED_CELL_CONTEXT, true") && sources.some((s) => s !== walkthroughSource && s.includes('noteHeatmapHover()'));
  }
  return sources.some((s) => s.includes(`'setContext', '${key}'`) || s.includes(`setContext('${key}'`));
}

describe('Getting Started walkthrough', () => {
  it('walks through sample → Show Attention → hover → overview → another model', () => {
    assert.strictEqual(contributes.walkthroughs.length, 1);
    assert.deepStrictEqual(walkthrough.steps.map((s) => s.id), ['openSample', 'showAttention', 'hoverCell', 'sidePanel', 'pickModel']);
  });

  it('completes each step only when the user does it, by events that refer to real commands, views, keys and settings', () => {
    for (const step of walkthrough.steps) {
      // Without completion events VS Code ticks a step off as soon as it is selected.
      assert.ok(step.completionEvents && step.completionEvents.length > 0, `${step.id} has no completion event`);
      for (const event of step.completionEvents) {
        const [kind, name] = [event.slice(0, event.indexOf(':')), event.slice(event.indexOf(':') + 1)];
        if (kind === 'onCommand') assert.ok(commandIds.includes(name), `${step.id}: unknown command ${name}`);
        else if (kind === 'onView') assert.ok(viewIds.includes(name), `${step.id}: unknown view ${name}`);
        else if (kind === 'onSettingChanged') assert.ok(settingIds.includes(name), `${step.id}: unknown setting ${name}`);
        else if (kind === 'onContext') assert.ok(contextKeySetInSource(name), `${step.id}: nothing sets context key ${name}`);
        else assert.fail(`${step.id}: ${event} is not an event the user's own action triggers`);
      }
    }
  });

  it('gives every step a title, a description whose buttons run contributed commands, and its markdown page', () => {
    for (const step of walkthrough.steps) {
      assert.ok(text(step.title).length > 0 && text(step.description).length > 0, step.id);
      for (const [, command] of text(step.description).matchAll(/\]\(command:([\w.]+)\)/g)) {
        assert.ok(commandIds.includes(command), `${step.id} links unknown ${command}`);
      }
      assert.ok(step.media.markdown && fs.existsSync(path.join(root, step.media.markdown)), `${step.id} media`);
    }
    const stepsWithButtons = walkthrough.steps.filter((s) => /\(command:/.test(text(s.description))).map((s) => s.id);
    assert.deepStrictEqual(stepsWithButtons, ['openSample', 'showAttention', 'sidePanel', 'pickModel']);
  });

  it('opens a sample that the package ships', () => {
    assert.ok(fs.existsSync(path.join(root, 'media', 'samples', 'sample.py')));
    assert.ok(commandIds.includes('attentionLens.openSample'));
  });
});
