// Recognising database errors that carry meaning for the domain (unique violations, missing
// rows), whichever adapter raised them.

interface PrismaKnownError {
  code: string;
  meta?: {
    target?: string[] | string;
    modelName?: string;
    driverAdapterError?: { cause?: { constraint?: { fields?: string[]; index?: string } } };
  };
}

function asKnown(e: unknown): PrismaKnownError | null {
  if (typeof e === "object" && e !== null && typeof (e as { code?: unknown }).code === "string") {
    return e as PrismaKnownError;
  }
  return null;
}

/**
 * The columns (SQLite) or index name (PostgreSQL) of a unique violation (P2002), or null when
 * the error is something else. Prisma 7 with driver adapters leaves meta.target empty and puts
 * the constraint in meta.driverAdapterError.cause.constraint.
 */
export function uniqueViolation(e: unknown): string[] | null {
  const known = asKnown(e);
  if (!known || known.code !== "P2002") return null;
  const constraint = known.meta?.driverAdapterError?.cause?.constraint;
  if (constraint?.fields?.length) return constraint.fields.map((f) => f.replace(/"/g, ""));
  if (constraint?.index) return [constraint.index];
  const target = known.meta?.target;
  if (Array.isArray(target)) return target;
  return target ? [target] : [];
}

/** True when a unique violation mentions every one of the given columns (or an index containing them). */
export function isUniqueViolationOn(e: unknown, ...columns: string[]): boolean {
  const fields = uniqueViolation(e);
  if (!fields) return false;
  const joined = fields.join(",");
  return columns.every((c) => fields.includes(c) || joined.includes(c));
}

/** A required row was not found (P2025) by update/delete. */
export function isRecordNotFound(e: unknown): boolean {
  return asKnown(e)?.code === "P2025";
}
