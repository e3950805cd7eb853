// A saved strategy version's JSON parameters, read as a runnable strategy: its kind's definition
// from the registry and the parameters that definition's schema accepts (defaults filled). The
// stored object carries the kind next to the parameters ({ "kind": "ma-cross", "fast": 20, … });
// the kind is taken off before the kind's own schema sees the rest.
import type { Prisma } from "../../db/generated/sqlite/client.ts";
import type { AnyStrategyDefinition } from "../../strategies/registry.ts";
import { STRATEGY_KINDS } from "../../strategies/types.ts";
import { ValidationError } from "../errors.ts";
import type { StrategyRegistry } from "./instance-types.ts";

export interface RunnableStrategy {
  kind: string;
  definition: AnyStrategyDefinition;
  /** the kind's parameters, validated; typed by the definition (heterogeneous across kinds) */
  params: unknown;
}

const MAX_ISSUE_CHARS = 300;

export function runnableStrategy(
  registry: StrategyRegistry,
  stored: Prisma.JsonValue,
): RunnableStrategy {
  const object =
    typeof stored === "object" && stored !== null && !Array.isArray(stored) ? stored : null;
  const kind = object && typeof object.kind === "string" ? object.kind : null;
  if (!object || !kind) {
    throw new ValidationError("kind", "error-strategy-kind-missing", {
      kinds: STRATEGY_KINDS.join(", "),
    });
  }
  const definition = registry(kind);
  if (!definition) {
    throw new ValidationError("kind", "error-strategy-kind-unknown", {
      kind,
      kinds: STRATEGY_KINDS.join(", "),
    });
  }
  const { kind: _kind, ...rest } = object;
  const parsed = definition.params.safeParse(rest);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
      .join("; ");
    throw new ValidationError("params", "error-strategy-params-invalid", {
      kind,
      issues: issues.length > MAX_ISSUE_CHARS ? `${issues.slice(0, MAX_ISSUE_CHARS - 1)}…` : issues,
    });
  }
  return { kind, definition, params: parsed.data };
}
