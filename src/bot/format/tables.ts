// Monospace tables for <pre> blocks: columns padded to their widest cell, numbers right-aligned.
// Telegram shows <pre> in a fixed-width font on every client, so alignment survives.

export type Align = "left" | "right";

export function table(header: string[], rows: string[][], align: Align[]): string {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => [...(r[i] ?? "")].length)),
  );
  const pad = (cell: string, i: number) => {
    const gap = " ".repeat(Math.max(0, widths[i]! - [...cell].length));
    return align[i] === "right" ? gap + cell : cell + gap;
  };
  const line = (cells: string[]) =>
    cells
      .map((c, i) => pad(c, i))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}
