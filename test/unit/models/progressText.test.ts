import * as assert from 'assert';
import { describeDownload } from '../../../src/models/progressText';

describe('download progress text', () => {
  it('shows bytes, total, percent and speed of the file being downloaded', () => {
    const text = describeDownload({ file: 'onnx/model.onnx', bytes: 45e6, total: 90e6, bytesPerSecond: 4.5e6, fileIndex: 2, fileCount: 3 });
    assert.strictEqual(text, 'onnx/model.onnx (2/3): 45.0 MB / 90.0 MB (50%) · 4.50 MB/s');
  });

  it('leaves out what the server did not say', () => {
    assert.strictEqual(describeDownload({ file: 'config.json', bytes: 700, bytesPerSecond: 0, fileIndex: 1, fileCount: 1 }), 'config.json: 700 B');
  });
});
