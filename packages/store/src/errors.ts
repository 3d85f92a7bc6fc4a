/** Error catalogue of the store package: stable codes callers can branch on. */
export const STORE_ERRORS = {
  unavailable: 'HAMDAM_ERR_STORE_UNAVAILABLE',
  corrupt: 'HAMDAM_ERR_STORE_CORRUPT',
  script: 'HAMDAM_ERR_STORE_SCRIPT',
} as const;

/**
 * The state store could not be reached or did not answer in time. The webhook answers 5xx
 * for this one, so that Telegram redelivers the update later.
 */
export class StoreUnavailableError extends Error {
  override readonly name: string = 'StoreUnavailableError';
  readonly code = STORE_ERRORS.unavailable;
  readonly store = 'redis';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The store holds something this code cannot read: a bug or a foreign writer. */
export class StoreCorruptError extends Error {
  override readonly name = 'StoreCorruptError';
  readonly code = STORE_ERRORS.corrupt;
}

/**
 * Redis ran a function of the library and it failed: a bug, not an outage. Retrying the update would fail the
 * same way, so the webhook logs it and acknowledges the update.
 */
export class StoreScriptError extends Error {
  override readonly name = 'StoreScriptError';
  readonly code = STORE_ERRORS.script;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Redis runs another version of the Lua library than this code knows (a newer deploy loaded
 * it): this worker must not run its rules against it, nor replace a newer library. It is a
 * kind of "unavailable": the webhook answers 5xx, so Telegram redelivers the update to a worker
 * of the current deploy, and readiness fails.
 */
export class StoreVersionError extends StoreUnavailableError {
  override readonly name: string = 'StoreVersionError';
}
