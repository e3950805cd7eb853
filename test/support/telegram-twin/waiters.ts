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
 * armed only while idle and re-armed by every activity. With `recheckMs`, a busy state is also
 * looked at again every `recheckMs`: for conditions the twin cannot see change (the bot's own
 * count of updates in hand), which may end without any activity.
 */
export function waitForQuiet(
  events: TwinEvents,
  isIdle: () => boolean,
  quietMs: number,
  timeoutMs: number,
  describeTimeout: () => string,
  recheckMs?: number,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let quietTimer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(quietTimer);
      if (isIdle()) {
        quietTimer = setTimeout(() => {
          if (!isIdle()) return arm();
          cleanup();
          resolve();
        }, quietMs);
      } else {
        quietTimer = recheckMs === undefined ? undefined : setTimeout(arm, recheckMs);
      }
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
