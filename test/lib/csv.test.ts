// The CSV writer: RFC 4180 quoting and CRLF records, formula injection neutralized in text
// cells, numeric cells left exact.
import { describe, expect, it } from "vitest";
import { csvField, toCsv } from "../../src/lib/csv.ts";

describe("csv", () => {
  it("quotes fields with commas, quotes and line breaks, doubling inner quotes", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\rhere")).toBe('"cr\rhere"');
    expect(csvField(null)).toBe("");
    expect(csvField("")).toBe("");
    expect(csvField("Свинг стратегия")).toBe("Свинг стратегия");
  });

  it("makes text cells that start like a formula inert", () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("-2+3")).toBe("'-2+3");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\tcmd")).toBe("'\tcmd");
    expect(csvField("a=b")).toBe("a=b");
  });

  it("writes numeric cells as the exact digits, a minus included, and guards anything else", () => {
    expect(csvField("-0.000000000000000001", true)).toBe("-0.000000000000000001");
    expect(csvField("123456789012345678901.5", true)).toBe("123456789012345678901.5");
    expect(csvField("-1+2", true)).toBe("'-1+2");
    expect(csvField("=1", true)).toBe("'=1");
  });

  it("writes a header row and CRLF-terminated records", () => {
    const csv = toCsv(
      [{ name: "symbol" }, { name: "qty", numeric: true }, { name: "note" }],
      [
        ["BTCUSDT", "0.5", null],
        ["ETH,USDT", "-1", "=cmd|' /C calc'!A0"],
      ],
    );
    expect(csv).toBe("symbol,qty,note\r\nBTCUSDT,0.5,\r\n\"ETH,USDT\",-1,'=cmd|' /C calc'!A0\r\n");
  });
});
