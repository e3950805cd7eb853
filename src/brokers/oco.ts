// One-cancels-the-other groups as venues see them. The domain emulates OCO (bracket exits, see
// domain/trading/brackets.ts) and names a group in the client order ids of its legs:
// "br-<entry>-<n>-<role>[-<suffix>]" belongs to group "br-<entry>-<n>". A venue that locks
// holdings for open sells (the paper venue) counts a group once: only one of its legs can fill.
const LEG = /^(br-\d+-\d+)-[a-z]+(?:-[A-Za-z0-9]+)?$/;

export function ocoGroupOfClientOrderId(clientOrderId: string): string | null {
  return LEG.exec(clientOrderId)?.[1] ?? null;
}
