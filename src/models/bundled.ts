// Where the bundled default model lives: media/model, relative to dist/*.js or to this source file.
import * as path from 'path';

/** The one name of the bundled model, everywhere it is shown (status bar, side panel, panel title, CLI). */
export const BUNDLED_MODEL_NAME = 'bundled model';

export function bundledModelFolder(): string {
  const fromDist = path.join(__dirname, '..', 'media', 'model');
  return __filename.endsWith('.ts') ? path.join(__dirname, '..', '..', 'media', 'model') : fromDist;
}

/** The bundled sample texts (media/samples), next to the bundled model. */
export function bundledSampleFile(name = 'sample.py'): string {
  return path.join(bundledModelFolder(), '..', 'samples', name);
}
