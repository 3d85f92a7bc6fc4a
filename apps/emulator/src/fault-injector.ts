import { ApiError, tooManyRequests } from './api-error.js';

// 403 reproduces a user who blocked the bot without the my_chat_member update arriving first.
export const FAULT_CODES = [429, 500, 400, 403] as const;
export type FaultCode = (typeof FAULT_CODES)[number];

export interface FaultSpec {
  /** Canonical Bot API method name; absent matches every method. */
  method?: string;
  /** Matches calls whose chat_id is this chat; absent matches every chat. */
  chat_id?: number;
  count: number;
  error_code: FaultCode;
  retry_after?: number;
  description?: string;
}

interface ActiveFault {
  readonly spec: FaultSpec;
  remaining: number;
}

/** Makes the next `count` matching Bot API calls fail, before any normal processing. */
export class FaultInjector {
  #faults: ActiveFault[] = [];

  get active(): number {
    return this.#faults.length;
  }

  add(spec: FaultSpec): void {
    this.#faults.push({ spec, remaining: spec.count });
  }

  /** The error for this call if a fault matches, consuming one of its uses. */
  take(method: string, chatId: number | undefined): ApiError | undefined {
    const index = this.#faults.findIndex(
      (fault) =>
        (fault.spec.method === undefined || fault.spec.method === method) &&
        (fault.spec.chat_id === undefined || fault.spec.chat_id === chatId),
    );
    const fault = this.#faults[index];
    if (fault === undefined) return undefined;
    if (--fault.remaining <= 0) this.#faults.splice(index, 1);
    return toError(fault.spec);
  }

  clear(): void {
    this.#faults = [];
  }
}

function toError(spec: FaultSpec): ApiError {
  if (spec.error_code === 429) {
    const retryAfter = spec.retry_after ?? 1;
    const error = tooManyRequests(retryAfter);
    return spec.description === undefined ? error : new ApiError(429, spec.description, retryAfter);
  }
  const fallback =
    spec.error_code === 500
      ? 'Internal Server Error'
      : spec.error_code === 403
        ? 'Forbidden: bot was blocked by the user'
        : 'Bad Request: injected fault';
  return new ApiError(spec.error_code, spec.description ?? fallback);
}
