import { EventEmitter } from "node:events";
import type { InterruptSignal, SignalSource } from "../job/signals.js";

/**
 * For tests: a signal source that delivers `signal` right after the write
 * registers its listener, i.e. in the middle of the write.
 */
export function signalDuringWrite(signal: InterruptSignal): SignalSource & { listenerCount(name: string): number } {
  const emitter = new EventEmitter();
  return {
    on(name, listener) {
      emitter.on(name, listener);
      if (name === signal) queueMicrotask(() => emitter.emit(signal));
      return this;
    },
    off(name, listener) {
      emitter.off(name, listener);
      return this;
    },
    listenerCount: (name) => emitter.listenerCount(name),
  };
}
