import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { looksNative, NATIVE_HEADER_BYTES, nativeKindOf } from '../../../scripts/package/nativeFormat';
import { packageTargets } from '../../../scripts/package/targets';

const modules = path.resolve(__dirname, '..', '..', '..', 'node_modules');

function headerOf(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(NATIVE_HEADER_BYTES);
    return buffer.subarray(0, fs.readSync(fd, buffer, 0, buffer.length, 0));
  } finally {
    fs.closeSync(fd);
  }
}

describe('native binary headers (the installed packages carry every platform, so each is checked here)', () => {
  for (const target of packageTargets) {
    it(`reads ${target.vsceTarget}'s onnxruntime and tokenizers files as ${target.format} ${target.arch}`, () => {
      const ortFolder = path.join(modules, 'onnxruntime-node', 'bin', 'napi-v6', ...target.onnxruntimeFolder.split('/'));
      const files = [
        ...target.onnxruntimeFiles.map((f) => path.join(ortFolder, f)),
        path.join(modules, 'tokenizers', target.tokenizersBinary),
      ];
      for (const file of files) {
        assert.deepStrictEqual(nativeKindOf(headerOf(file)), { format: target.format, arch: target.arch }, file);
      }
    });
  }

  it('tells apart the builds no package may carry: Intel macOS, a universal Mach-O, 32-bit Windows and ARM Linux', () => {
    const kind = (name: string) => nativeKindOf(headerOf(path.join(modules, 'tokenizers', name)));
    assert.deepStrictEqual(kind('tokenizers.darwin-x64.node'), { format: 'Mach-O', arch: 'x64' });
    assert.deepStrictEqual(kind('tokenizers.darwin-universal.node'), { format: 'Mach-O universal', arch: 'x64+arm64' });
    assert.deepStrictEqual(kind('tokenizers.win32-ia32-msvc.node'), { format: 'PE32', arch: 'ia32' });
    assert.deepStrictEqual(kind('tokenizers.linux-arm-gnueabihf.node'), { format: 'ELF', arch: 'arm' });
  });

  it('finds no native format in text, JSON, a truncated PE stub or a Java class file', () => {
    assert.strictEqual(nativeKindOf(Buffer.from('{"name":"attention-lens"}')), undefined);
    assert.strictEqual(nativeKindOf(headerOf(path.join(modules, 'onnxruntime-node', 'dist', 'index.js'))), undefined);
    const stub = Buffer.alloc(0x40);
    stub.write('MZ', 0, 'latin1');
    stub.writeUInt32LE(0x1000, 0x3c);
    assert.strictEqual(nativeKindOf(stub), undefined);
    const javaClass = Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0x00, 0x00, 0x00, 0x34]);
    assert.strictEqual(nativeKindOf(javaClass), undefined);
  });

  it('knows which names only native code should carry', () => {
    for (const name of ['a.node', 'libonnxruntime.so.1', 'libx.so', 'onnxruntime.dll', 'libonnxruntime.1.dylib']) {
      assert.ok(looksNative(name), name);
    }
    for (const name of ['index.js', 'model.onnx', 'package.json', 'so.txt']) assert.ok(!looksNative(name), name);
  });
});
