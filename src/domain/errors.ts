// The domain's typed errors. The classes live in src/lib/errors.ts so that the broker and market
// layers, which sit below the domain, can throw them without importing the domain.
export * from "../lib/errors.ts";
