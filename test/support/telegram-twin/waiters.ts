// Event-driven waiting: a condition is re-checked whenever the twin reports activity (a call,
// an update, a message change, a request starting or ending), never by sleeping in a loop. On
// timeout the promise rejects with a description of what did happen.
import type { TwinEvents } from "./events.ts";

export function waitFor<T>(
  events: TwinEvents,
  check: () => T | undefined,
  timeoutMs: number,
  describeTimeout: () => string,
): Promise<T> {
  const immediate = check();
  if (immediate !== undefined) return Promise.resolve(immediate);
  return new Promise<T>((resolve, reject) => {
    const stop = events.on("activity", () => {
      const value = check();
      if (value === undefined) return;
      cleanup();
      resolve(value);
    });
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(describeTimeout()));
    }, timeoutMs);
    function cleanup(): void {
      clearTimeout(timer);
      stop();
    }
  });
}

/**
 * Resolves once `isIdle` has held for `quietMs` without any activity in between; a timer is
 * armed only while idle and re-armed by every activity.
 */
export function waitForQuiet(
  events: TwinEvents,
  isIdle: () => boolean,
  quietMs: number,
  timeoutMs: number,
  describeTimeout: () => string,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let quietTimer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(quietTimer);
      quietTimer = isIdle()
        ? setTimeout(() => {
            if (!isIdle()) return;
            cleanup();
            resolve();
          }, quietMs)
        : undefined;
    };
    const stop = events.on("activity", arm);
    const deadline = setTimeout(() => {
      cleanup();
      reject(new Error(describeTimeout()));
    }, timeoutMs);
    function cleanup(): void {
      clearTimeout(quietTimer);
      clearTimeout(deadline);
      stop();
    }
    arm();
  });
}
