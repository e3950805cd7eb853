// Registers the test-only strategies under kinds no product build has ("test-scripted",
// "test-sma-cross"), for tests that run the real entry points (the CLI as a child process with
// `--import` of this file, the bot in-process). Never imported by src/.
import {
  type AnyStrategyDefinition,
  STRATEGY_DEFINITIONS,
} from "../../../src/strategies/registry.ts";
import { scriptedStrategy, smaCrossStrategy } from "./scripted-strategy.ts";

export const TEST_KINDS = { scripted: "test-scripted", smaCross: "test-sma-cross" } as const;

// the registry is typed by the product's kinds; a test kind is an extra key it looks up the same way
const registry = STRATEGY_DEFINITIONS as Record<string, AnyStrategyDefinition>;
registry[TEST_KINDS.scripted] = scriptedStrategy;
registry[TEST_KINDS.smaCross] = smaCrossStrategy;
