// Which kind of array the words of decimalOfScaled's Decimals are, read by V8's own test
// functions, and what a kept one costs in memory (run with --allow-natives-syntax --expose-gc:
// test/lib/decimal-scaled.test.ts). decimal.js's own
// Decimals hold small-integer arrays; one holding doubles (the same values) makes decimal.js's
// reads of `d` meet two kinds of array, and turns the constructor's `[0]` literal, so every later
// Decimal(0) of the process, into one as well. Checked before and after the function is optimized.
import { Decimal } from "../../src/lib/decimal.ts";
import { decimalOfScaled } from "../../src/lib/decimal-scaled.ts";

// natives syntax is not TypeScript: the test function is made at run time
const smiElements = new Function("a", "return %HasSmiElements(a) && !%HasHoleyElements(a)") as (
  a: unknown,
) => boolean;

const cases: [number, number][] = [
  [1666, 5], // one word
  [6001234, 2],
  [900012345678, 8], // two words
  [-9007199254740991, 9], // three words
];
const kinds = () => cases.map(([integer, scale]) => smiElements(decimalOfScaled(integer, scale).d));
const first = kinds();
let sink = 0;
for (let i = 0; i < 200_000; i++) {
  const [integer, scale] = cases[i % cases.length]!;
  sink += decimalOfScaled(integer + (i % 1000) * Math.sign(integer), scale).d.length;
}

/**
 * The heap each of 100,000 kept values takes, in bytes. A worker holds millions of these: a
 * two-word value's array must be two slots long (one grown by push has 17, ~60 bytes more).
 */
function bytesKept(make: (i: number) => Decimal): number {
  const gc = (globalThis as { gc?: () => void }).gc!;
  const kept = new Array<Decimal>(100_000);
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < kept.length; i++) kept[i] = make(i);
  gc();
  const bytes = (process.memoryUsage().heapUsed - before) / kept.length;
  return kept.length > 0 ? bytes : NaN;
}
const oneWord = bytesKept((i) => decimalOfScaled(1000 + i, 5));
const twoWords = bytesKept((i) => decimalOfScaled(900012345678 + i, 8));

process.stdout.write(
  JSON.stringify({
    first,
    optimized: kinds(),
    decimalZero: smiElements(new Decimal(0).d),
    sink: sink > 0,
    // an exact-length second word costs a slot (4–8 bytes, with its alignment); a grown array ~60
    secondWordLean: twoWords - oneWord < 32,
  }),
);
