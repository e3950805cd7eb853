// Typed domain errors. Each carries an i18n key (locales/*.ftl) and its parameters, so the bot
// (or any other front) turns it into a localized message; domain code never formats text.

export type ErrorParams = Record<string, string | number>;

export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(
    /** i18n key of the user-facing explanation */
    readonly key: string,
    readonly params: ErrorParams = {},
    message?: string,
  ) {
    super(message ?? `${key} ${JSON.stringify(params)}`);
    this.name = new.target.name;
  }
}

/** The thing does not exist, or belongs to someone else (never tell them which). */
export class NotFoundError extends DomainError {
  readonly code = "NOT_FOUND";
  constructor(
    readonly entity: string,
    readonly ref: string | number,
    key = "error-not-found",
  ) {
    super(key, { entity, ref: String(ref) });
  }
}

/** The acting user may not do this (not approved, not an admin, not the owner). */
export class ForbiddenError extends DomainError {
  readonly code = "FORBIDDEN";
}

/** Bad input; `field` names what was wrong so the user knows what to fix. */
export class ValidationError extends DomainError {
  readonly code = "VALIDATION";
  constructor(
    readonly field: string,
    key: string,
    params: ErrorParams = {},
    /** nearest valid values, offered as buttons by the bot */
    readonly suggestions: string[] = [],
  ) {
    super(key, { field, ...params });
  }
}

/** A uniqueness rule was hit (name already used, ...). */
export class ConflictError extends DomainError {
  readonly code = "CONFLICT";
  constructor(
    readonly field: string,
    key = "error-conflict",
    params: ErrorParams = {},
  ) {
    super(key, { field, ...params });
  }
}

/** The operation is not allowed in the current state (cancel a filled order, ...). */
export class StateError extends DomainError {
  readonly code = "STATE";
}

/** Pre-trade risk evaluation refused the order. */
export class RiskBlockedError extends DomainError {
  readonly code = "RISK_BLOCKED";
}

/** The broker or market data source refused or failed. */
export class GatewayError extends DomainError {
  readonly code = "GATEWAY";
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
