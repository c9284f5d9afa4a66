// A typed event an owner fires and others subscribe to (like vscode.EventEmitter, without `vscode`, so pure
// owners and their tests use it too). A failing listener is logged by the caller's choice, never breaks the rest.
import type { DisposableLike } from './disposable';

export type Event<T> = (listener: (value: T) => void) => DisposableLike;

export class Emitter<T> implements DisposableLike {
  private listeners: ((value: T) => void)[] = [];

  readonly event: Event<T> = (listener) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (e) {
        // One subscriber's bug must not stop the others from seeing the change.
        console.error(e);
      }
    }
  }

  dispose(): void {
    this.listeners = [];
  }
}
