// A Memento-shaped key/value store in one JSON file in the extension's own storage folder. Unlike workspaceState,
// whose writes a browser reload (code-server) can drop before they are flushed, every update is on disk when it
// resolves; written to a temporary file and renamed, so a crash never leaves half a file.
import * as fs from 'fs';
import * as path from 'path';

export class JsonFileMemento {
  private values: Record<string, unknown>;

  constructor(private readonly file: string) {
    this.values = readJsonObject(file);
  }

  get(key: string): unknown {
    return this.values[key];
  }

  update(key: string, value: unknown): Promise<void> {
    this.values = { ...this.values, [key]: value };
    const temp = `${this.file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.writeFileSync(temp, JSON.stringify(this.values));
      fs.renameSync(temp, this.file);
      return Promise.resolve();
    } catch (e) {
      try {
        fs.rmSync(temp, { force: true });
      } catch {
        // The write failed already; a leftover temporary file is never read.
      }
      return Promise.reject(e);
    }
  }
}

function readJsonObject(file: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
