// Monospace tables for <pre> blocks: columns padded to their widest cell, numbers right-aligned.
// Telegram shows <pre> in a fixed-width font on every client, so alignment survives.

export type Align = "left" | "right";

const SURROGATE = /[\uD800-\uDBFF]/;

/** characters as the monospace font shows them: a surrogate pair (an emoji) is one */
function width(cell: string): number {
  return SURROGATE.test(cell) ? [...cell].length : cell.length;
}

export function table(header: string[], rows: string[][], align: Align[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => width(r[i] ?? ""))));
  const pad = (cell: string, i: number) => {
    const gap = " ".repeat(Math.max(0, widths[i]! - width(cell)));
    return align[i] === "right" ? gap + cell : cell + gap;
  };
  const line = (cells: string[]) =>
    cells
      .map((c, i) => pad(c, i))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}
