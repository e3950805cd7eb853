// The seam between schedules/reports and the screeners module: schedules only need to run a
// user's screener and get a ranked table back. The screeners module implements this interface;
// schedules and reports accept it optionally, and without it screener schedules are refused.

export interface ScreenerRunResult {
  screenerId: number;
  screenerName: string;
  /** when the market data was read */
  at: Date;
  /** how many instruments were scanned */
  scanned: number;
  /** headings of the measures after the symbol, as the screener names them ("RSI 14", "Δ 24h %") */
  columns: string[];
  /** the matches, ranked best first; each value a decimal string (formatted by the front) or null */
  rows: Array<{ symbol: string; values: Array<string | null> }>;
}

export interface ScreenerRunner {
  /**
   * Runs the user's screener now. Ownership is checked by the caller (the schedule belongs to the
   * user and the screener to them); implementations throw their own typed domain errors (screener
   * gone, config invalid), which reach the user as the explanation of a failed run.
   */
  runForSchedule(userId: number, screenerId: number): Promise<ScreenerRunResult>;
}
