// Child process for the dispose-mid-run test: a crash here (SIGABRT inside onnxruntime) must not take the test
// runner with it. Disposes the engine at several moments of a 512-token run; prints one line per round.
import { AttentionEngine } from '../../src/engine/analyze';
import { bundledModelFolder } from '../../src/models/bundled';

async function main(cacheDir: string): Promise<void> {
  const text = 'word '.repeat(1200);
  for (const delayMs of [5, 10, 20, 30, 45, 70]) {
    const engine = await AttentionEngine.open(bundledModelFolder(), { cacheDir });
    const running = engine.analyze(text);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    const disposed = engine.dispose();
    const outcome = await running.then(
      () => 'finished',
      (e: { code?: string }) => e.code ?? 'unknown error',
    );
    await disposed;
    process.stdout.write(`${delayMs} ${outcome}\n`);
  }
}

void main(process.argv[2]);
