/** A Bot API failure, rendered as Telegram's `{ ok: false, error_code, description, parameters? }`. */
export class ApiError extends Error {
  readonly errorCode: number;
  readonly retryAfter: number | undefined;

  constructor(errorCode: number, description: string, retryAfter?: number) {
    super(description);
    this.name = 'ApiError';
    this.errorCode = errorCode;
    this.retryAfter = retryAfter;
  }

  toJSON(): object {
    return this.retryAfter === undefined
      ? { ok: false, error_code: this.errorCode, description: this.message }
      : {
          ok: false,
          error_code: this.errorCode,
          description: this.message,
          parameters: { retry_after: this.retryAfter },
        };
  }
}

export function badRequest(reason: string): ApiError {
  return new ApiError(400, `Bad Request: ${reason}`);
}

export function forbidden(reason: string): ApiError {
  return new ApiError(403, `Forbidden: ${reason}`);
}

export function conflict(reason: string): ApiError {
  return new ApiError(409, `Conflict: ${reason}`);
}

export function tooManyRequests(retryAfter: number): ApiError {
  return new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, retryAfter);
}

/** A control API failure, rendered as `{ error }` with the given HTTP status. */
export class ControlError extends Error {
  readonly statusCode: number;

  constructor(statusCode: number, message: string) {
    super(message);
    this.name = 'ControlError';
    this.statusCode = statusCode;
  }
}
