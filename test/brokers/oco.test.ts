// The OCO group venues read from a bracket leg's client order id (brokers/oco.ts), and the ids
// the domain gives its legs (trading/brackets.ts): the two must agree, replacements included.
import { describe, expect, it } from "vitest";
import { ocoGroupOfClientOrderId } from "../../src/brokers/oco.ts";
import { legClientOrderId } from "../../src/domain/trading/brackets.ts";

describe("OCO groups in client order ids", () => {
  it("both legs of a group, and a leg's replacement, name the same group", () => {
    const tp = legClientOrderId(12, "12-3", "take-profit");
    const sl = legClientOrderId(12, "12-3", "stop-loss");
    expect([tp, sl]).toEqual(["br-12-3-tp", "br-12-3-sl"]);
    expect(ocoGroupOfClientOrderId(tp)).toBe("br-12-3");
    expect(ocoGroupOfClientOrderId(sl)).toBe("br-12-3");
    expect(ocoGroupOfClientOrderId(`${sl}-a1b2c3`)).toBe("br-12-3");
    expect(ocoGroupOfClientOrderId(legClientOrderId(12, "12-4", "stop-loss"))).toBe("br-12-4");
  });

  it("other orders belong to no group", () => {
    for (const id of ["td-0123456789abcdef", "bk-0123456789abcdef", "rw-5-1", "br-x-1-tp"])
      expect(ocoGroupOfClientOrderId(id)).toBeNull();
  });
});
