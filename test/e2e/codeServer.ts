// Starts the VS Code workbench (code-server) on a free loopback port with a throwaway profile and the packaged
// extension installed, and stops it again — the whole process group, so no server outlives a failed run.
import { ChildProcess, execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';
import { promisify } from 'util';

const execFileAsync = promisify(execFile);

/** User settings that keep a test workbench from showing tips, experiments, updates and trust prompts. */
export const QUIET_WORKBENCH_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
};

export interface CodeServerOptions {
  /** code-server install folder (holds out/node/entry.js). */
  installDir: string;
  /** Everything this run writes (profile, extensions, logs) goes under here. */
  workDir: string;
  /** Folder opened as the workspace. */
  workspace: string;
  /** Installed before start; leave out to install it in the running workbench, as a user does. */
  vsix?: string;
  /** User settings written before start; the workbench also watches the file for live changes. */
  settings: Record<string, unknown>;
}

export interface RunningCodeServer {
  url: string;
  userDataDir: string;
  logFile: string;
  writeUserSettings(settings: Record<string, unknown>): void;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const entry = path.join(options.installDir, 'out', 'node', 'entry.js');
  if (!fs.existsSync(entry)) {
    throw new Error(`code-server is not installed at ${options.installDir}; run test/e2e/install-code-server.sh`);
  }
  const userDataDir = path.join(options.workDir, 'user-data');
  const extensionsDir = path.join(options.workDir, 'extensions');
  const logFile = path.join(options.workDir, 'code-server.log');
  fs.mkdirSync(extensionsDir, { recursive: true });

  // Machine-scoped settings (attentionLens.model) are read from Machine/ on a server; the rest from User/.
  const writeUserSettings = (settings: Record<string, unknown>): void => {
    for (const scope of ['User', 'Machine']) {
      fs.mkdirSync(path.join(userDataDir, scope), { recursive: true });
      fs.writeFileSync(path.join(userDataDir, scope, 'settings.json'), JSON.stringify(settings, null, 2));
    }
  };
  writeUserSettings(options.settings);

  const common = ['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir];
  if (options.vsix) {
    await execFileAsync(process.execPath, [entry, '--install-extension', options.vsix, '--force', ...common], {
      timeout: 120_000,
    }).catch((error: Error & { stderr?: string }) => {
      throw new Error(`installing ${options.vsix} into code-server failed: ${error.stderr || error.message}`);
    });
  }

  const port = await freePort();
  const log = fs.openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    [
      entry,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      ...common,
      options.workspace,
    ],
    { detached: true, stdio: ['ignore', log, log], env: { ...process.env, VSCODE_PROXY_URI: '' } },
  );
  fs.closeSync(log);
  const stop = stopper(child);
  process.once('exit', () => killGroup(child));

  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitForHttp(url, child, 60_000);
  } catch (error) {
    await stop();
    const tail = fs.readFileSync(logFile, 'utf8').slice(-4000);
    throw new Error(`${(error as Error).message}\n--- code-server log ---\n${tail}`);
  }
  return { url, userDataDir, logFile, writeUserSettings, stop };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with code ${child.exitCode} before serving`);
    const status = await new Promise<number>((resolve) => {
      const request = http.get(url, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', () => resolve(0));
      request.setTimeout(2_000, () => request.destroy());
    });
    if (status >= 200 && status < 400) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms`);
}
