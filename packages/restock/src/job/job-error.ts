/** A failure the job reports as one stderr line and an exit code. */
export class JobError extends Error {
  override readonly name = "JobError";
  readonly exitCode: number;

  constructor(exitCode: number, message: string) {
    super(message);
    this.exitCode = exitCode;
  }
}
