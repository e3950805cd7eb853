// Wilder's RSI written out for the tests, independently of the library the code uses:
// average gain and loss start as the plain mean of the first N changes, then each new change is
// folded in as avg = (avg × (N − 1) + change) / N; RSI = 100 − 100 / (1 + avgGain / avgLoss).
export function wilderRsi(closes: readonly number[], period: number): number {
  if (closes.length < period + 1) throw new RangeError("not enough closes");
  let gain = 0;
  let loss = 0;
  for (let i = 1; i <= period; i++) {
    const change = closes[i]! - closes[i - 1]!;
    if (change > 0) gain += change;
    else loss -= change;
  }
  gain /= period;
  loss /= period;
  for (let i = period + 1; i < closes.length; i++) {
    const change = closes[i]! - closes[i - 1]!;
    gain = (gain * (period - 1) + Math.max(change, 0)) / period;
    loss = (loss * (period - 1) + Math.max(-change, 0)) / period;
  }
  if (loss === 0) return 100;
  return 100 - 100 / (1 + gain / loss);
}
