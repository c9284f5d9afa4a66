// Show Attention inside a real VS Code desktop: the extension activates, the command runs on a selection of a fixture
// file, and the attention panel (a webview tab of this extension) opens.
import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'attention-lens.attention-lens';

function attentionTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes('attentionLens'));
}

async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

suite('Show Attention in VS Code desktop', () => {
  test('activates and registers its commands', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed in the test instance`);
    await extension.activate();
    assert.strictEqual(extension.isActive, true);
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('attentionLens.showAttention'), 'attentionLens.showAttention is not registered');
  });

  test('Show Attention on a selection opens the attention panel', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the fixture folder is not open as the workspace');
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'sample.py'));
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(0, 0, 1, document.lineAt(1).text.length);
    const before = attentionTabs().length;

    await vscode.commands.executeCommand('attentionLens.showAttention');

    const tab = await waitFor(() => (attentionTabs().length > before ? attentionTabs().at(-1) : undefined), 'the attention panel');
    assert.ok(tab.isActive || tab.group.isActive, 'the attention panel opened but is not showing');
  });
});
