// A saved strategy version's JSON parameters, read as a runnable strategy: its kind's definition
// from the runtime's registry and the parameters that definition's schema accepts (defaults
// filled). The stored object carries the kind next to the parameters ({ "kind": "ma-cross",
// "fast": 20, … }) and the kinds' schemas expect it there. Validation and its errors (naming the
// parameter) are the kinds' own (src/strategies/params.ts); only the lookup is the registry's,
// so tests can run kinds of their own.
import type { Prisma } from "../../db/generated/sqlite/client.ts";
import type { AnyStrategyDefinition } from "../../strategies/registry.ts";
import { PARAM_FIELD, validateWith } from "../../strategies/params.ts";
import { STRATEGY_KINDS } from "../../strategies/types.ts";
import { ValidationError } from "../errors.ts";
import type { StrategyRegistry } from "./instance-types.ts";

export interface RunnableStrategy {
  kind: string;
  definition: AnyStrategyDefinition;
  /** the kind's parameters, validated; typed by the definition (heterogeneous across kinds) */
  params: unknown;
}

export function runnableStrategy(
  registry: StrategyRegistry,
  stored: Prisma.JsonValue,
): RunnableStrategy {
  if (typeof stored !== "object" || stored === null || Array.isArray(stored))
    throw new ValidationError(PARAM_FIELD, "error-strategy-params-object");
  const raw = stored.kind;
  const kind = typeof raw === "string" ? raw.trim().toLowerCase() : "";
  const definition = kind ? registry(kind) : undefined;
  if (!definition) {
    throw new ValidationError("strategyKind", "error-strategy-kind-unknown", {
      value: typeof raw === "string" ? raw.slice(0, 40) : "—",
      kinds: STRATEGY_KINDS.join(", "),
    });
  }
  return { kind, definition, params: validateWith(definition, stored) };
}
