// Writes a file through a temporary sibling and a rename, so a failed or cancelled export never leaves half a file
// under the name the user picked. Streams: full tensors as text run to hundreds of MB.
import * as fs from 'fs';
import * as path from 'path';

export type Write = (text: string) => Promise<void> | void;

export async function writeFileAtomically(file: string, produce: (write: Write) => Promise<void> | void): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.partial`);
  const out = fs.createWriteStream(temp);
  const done = new Promise<void>((resolve, reject) => {
    out.on('error', reject);
    out.on('finish', resolve);
  });
  const write: Write = (s) => {
    if (!out.write(s)) return new Promise((resolve) => out.once('drain', resolve));
  };
  try {
    await produce(write);
    out.end();
    await done;
    await fs.promises.rename(temp, file);
  } catch (e) {
    out.destroy();
    await fs.promises.rm(temp, { force: true });
    throw e;
  }
}
