// Abort handling shared by the budget's waits: an aborted caller gets the same typed error the
// transport gives for an aborted request, so callers see one failure whichever layer was waiting.
import { GhlTimeoutError } from '../ghl/errors.js';
import type { Clock } from './clock.js';

export function abortedError(operation: string): GhlTimeoutError {
  return new GhlTimeoutError(operation, 'deadline');
}

/** Waits for `promise`, but gives up (without cancelling it) as soon as `signal` aborts. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, operation: string): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(abortedError(operation));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedError(operation));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** A sleep on the budget's clock whose abort surfaces as the typed abort error. */
export async function sleepOrAbort(
  clock: Clock,
  ms: number,
  signal: AbortSignal | undefined,
  operation: string,
): Promise<void> {
  try {
    await clock.sleep(ms, signal);
  } catch (error) {
    if (signal?.aborted) throw abortedError(operation);
    throw error;
  }
}
