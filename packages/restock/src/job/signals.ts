/** The signals the job treats as "stop now". */
export const INTERRUPT_SIGNALS = ["SIGINT", "SIGTERM"] as const;
export type InterruptSignal = (typeof INTERRUPT_SIGNALS)[number];

/** Where interrupt signals come from: `process` in production, an EventEmitter in tests. */
export type SignalSource = {
  on(signal: InterruptSignal, listener: () => void): unknown;
  off(signal: InterruptSignal, listener: () => void): unknown;
};

/** Thrown when an interrupt signal arrived while writing. */
export class WriteInterruptedError extends Error {
  override readonly name = "WriteInterruptedError";
  readonly signal: InterruptSignal;
  /** True when the new file was already in place when the signal arrived. */
  readonly committed: boolean;

  constructor(signal: InterruptSignal, committed: boolean) {
    super(`interrupted by ${signal}`);
    this.signal = signal;
    this.committed = committed;
  }
}
