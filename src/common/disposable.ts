// A base class that owns what it registers and disposes it once, in reverse order (like vscode-hexeditor's dispose.ts).
// No `vscode` import: anything with dispose() fits, so pure modules and tests can use it too.

export interface DisposableLike {
  dispose(): unknown;
}

export abstract class Disposable implements DisposableLike {
  private _disposed = false;
  private readonly _disposables: DisposableLike[] = [];

  protected get isDisposed(): boolean {
    return this._disposed;
  }

  /** Takes ownership of `value`: it is disposed with this object (at once if this is already disposed). */
  protected _register<T extends DisposableLike>(value: T): T {
    if (this._disposed) value.dispose();
    else this._disposables.push(value);
    return value;
  }

  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    disposeAll(this._disposables.splice(0).reverse());
  }
}

/** Disposes each item; one failure does not stop the rest. */
export function disposeAll(items: Iterable<DisposableLike>): void {
  for (const item of items) {
    try {
      item.dispose();
    } catch {
      // A failing dispose must not leak the remaining listeners.
    }
  }
}

/** Holds one disposable at a time; setting a new one disposes the old (per-document listeners are swapped, not piled up). */
export class SwappableDisposable implements DisposableLike {
  private current: DisposableLike | undefined;

  set(value: DisposableLike | undefined): void {
    const old = this.current;
    this.current = value;
    old?.dispose();
  }

  dispose(): void {
    this.set(undefined);
  }
}
