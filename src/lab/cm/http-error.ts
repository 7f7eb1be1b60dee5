// The CM emulator's route results and HTTP errors (answered as `{ "message": ... }`).
export class CmHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface CmRouteResult {
  readonly status: number;
  readonly json?: unknown;
  readonly text?: string;
  /** A download (the diagnostic bundle zip). */
  readonly bytes?: Buffer;
}
