// Which kind of array the words of decimalOfScaled's Decimals are, read by V8's own test
// functions (run with --allow-natives-syntax: test/lib/decimal-scaled.test.ts). decimal.js's own
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
process.stdout.write(
  JSON.stringify({
    first,
    optimized: kinds(),
    decimalZero: smiElements(new Decimal(0).d),
    sink: sink > 0,
  }),
);
