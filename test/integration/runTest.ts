// Downloads VS Code desktop (needs internet) and runs the integration suite inside its extension host against this
// checkout. Not run in CI here (no download possible); CI runs the code-server end-to-end suite instead.
import * as path from 'path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  try {
    const exitCode = await runTests({
      version: process.env.VSCODE_TEST_VERSION ?? '1.100.3',
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(__dirname, 'suite', 'index'),
      launchArgs: [path.join(root, 'test', 'integration', 'fixtures'), '--disable-extensions', '--disable-workspace-trust'],
    });
    process.exitCode = exitCode;
  } catch (error) {
    console.error(`Integration tests could not run: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}

void main();
