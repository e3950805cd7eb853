// The shapes of risk policies as callers see them, and the scope rules shared by the policy
// service and its helpers.
import type { RiskPolicy } from "../../db/generated/sqlite/client.ts";
import type { RiskScope } from "../../db/generated/sqlite/enums.ts";
import { ValidationError } from "../errors.ts";
import type { PolicyConfig } from "./policy-config.ts";

const RISK_SCOPES = ["USER", "PORTFOLIO", "STRATEGY"] as const satisfies readonly RiskScope[];
/** Enough for any sensible set-up; stops a runaway script from filling the table. */
export const MAX_POLICIES_PER_USER = 50;

export interface PolicyView {
  id: number;
  uid: string;
  /** the protected user */
  userId: number;
  scope: RiskScope;
  scopeId: number;
  /** the portfolio's or strategy's name (null for USER scope) */
  scopeName: string | null;
  name: string;
  config: PolicyConfig;
  isActive: boolean;
  /** the admin who set this policy for the user (they cannot change it); null: their own */
  managedBy: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewPolicy {
  scope: RiskScope;
  /** USER scope: omitted (the acting user); PORTFOLIO/STRATEGY: the portfolio's or strategy's id */
  scopeId?: number | null;
  name: string;
  /** validated by parsePolicyConfig */
  config: unknown;
}

export interface PolicyPatch {
  name?: string;
  /** a new configuration replaces the old one entirely */
  config?: unknown;
}

export interface PolicyFilter {
  scope?: RiskScope;
  scopeId?: number;
  activeOnly?: boolean;
}

/** A policy as the evaluators need it. */
export interface ApplicablePolicy {
  id: number;
  scope: RiskScope;
  scopeId: number;
  name: string;
  config: PolicyConfig;
}

/**
 * USER, PORTFOLIO, STRATEGY, oldest first within each (sorted here: SQLite orders enums as text,
 * PostgreSQL in declaration order).
 */
export function byScope(rows: RiskPolicy[]): RiskPolicy[] {
  return [...rows].sort(
    (a, b) => RISK_SCOPES.indexOf(a.scopeType) - RISK_SCOPES.indexOf(b.scopeType) || a.id - b.id,
  );
}

export function checkScope(scope: string): RiskScope {
  if (!(RISK_SCOPES as readonly string[]).includes(scope))
    throw new ValidationError("scope", "error-risk-scope-invalid", { value: String(scope) });
  return scope as RiskScope;
}
