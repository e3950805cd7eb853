// Time as a dependency, so tests can run on a fixed or stepping clock.

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  private current: number;
  constructor(start: Date | string | number) {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(to: Date | string | number): void {
    this.current = new Date(to).getTime();
  }
  advance(ms: number): Date {
    this.current += ms;
    return this.now();
  }
}

/**
 * Real time plus an offset tests can move forward: timers, backoffs and rate windows keep working
 * (time still passes), and a test can jump ahead (e.g. to the next day) without waiting.
 */
export class ShiftedClock implements Clock {
  private offsetMs: number;
  constructor(start: Date | string | number = Date.now()) {
    this.offsetMs = new Date(start).getTime() - Date.now();
  }
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): Date {
    this.offsetMs += ms;
    return this.now();
  }
}
