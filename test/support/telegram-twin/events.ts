// A typed EventEmitter for the twin's events (see TwinEventMap). Every event is followed by an
// "activity" event, the one waiters listen to.
import { EventEmitter } from "node:events";
import type { TwinEventMap } from "./types.ts";

export class TwinEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // every waiter adds a listener; many tests wait concurrently
    this.emitter.setMaxListeners(0);
  }

  on<K extends keyof TwinEventMap>(
    event: K,
    listener: (...args: TwinEventMap[K]) => void,
  ): () => void {
    this.emitter.on(event, listener as (...args: unknown[]) => void);
    return () => this.off(event, listener);
  }

  off<K extends keyof TwinEventMap>(event: K, listener: (...args: TwinEventMap[K]) => void): void {
    this.emitter.off(event, listener as (...args: unknown[]) => void);
  }

  emit<K extends keyof TwinEventMap>(event: K, ...args: TwinEventMap[K]): void {
    this.emitter.emit(event, ...args);
    if (event !== "activity") this.emitter.emit("activity");
  }

  removeAllListeners(): void {
    this.emitter.removeAllListeners();
  }
}
