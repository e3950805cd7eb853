// Logs never hold secrets: objects and errors carrying API keys, secrets, passphrases, request
// signatures and the exchange's key header are logged into a captured stream, and none of the
// values appears in it, while the rest of each line is still there.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.ts";
import { scrubText } from "../src/lib/secrets/scrub.ts";

const API_KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
const SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
const PASSPHRASE = "correct-horse-battery-staple";
const SIGNATURE = "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71";
const BOT_TOKEN = "123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const SECRETS = [API_KEY, SECRET, PASSPHRASE, SIGNATURE, BOT_TOKEN];

function capture() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({
    level: "trace",
    format: "json",
    secrets: [BOT_TOKEN],
    destination: stream,
  });
  return { logger, text: () => chunks.join("") };
}

function expectNoSecrets(text: string) {
  for (const s of SECRETS) expect(text, `leaked ${s.slice(0, 6)}…`).not.toContain(s);
}

describe("logger redaction", () => {
  it("censors secret fields at any depth and keeps the rest", () => {
    const { logger, text } = capture();
    logger.info(
      { apiKey: API_KEY, secret: SECRET, password: PASSPHRASE, symbol: "BTCUSDT" },
      "top",
    );
    logger.info({ account: { apiKey: API_KEY, secret: SECRET, id: 7 } }, "one level");
    logger.info({ a: { b: { c: { d: { apiKey: API_KEY, secretKey: SECRET } } } } }, "deep");
    logger.info(
      { credentials: { apiKey: API_KEY, secret: SECRET, password: PASSPHRASE } },
      "creds",
    );
    logger.info({ list: [{ api_key: API_KEY }, { passphrase: PASSPHRASE }] }, "arrays");
    logger.info(
      {
        headers: { "X-MBX-APIKEY": API_KEY, "Content-Type": "application/json" },
        req: { headers: { "X-MBX-APIKEY": API_KEY, authorization: `Bearer ${SECRET}` } },
        signature: SIGNATURE,
      },
      "request",
    );
    logger.warn({ token: BOT_TOKEN }, `bot ${BOT_TOKEN} failed`);
    const out = text();
    expectNoSecrets(out);
    expect(out).toContain("BTCUSDT");
    expect(out).toContain('"Content-Type":"application/json"');
    expect(out).toContain('"id":7');
    expect(out).toContain("[redacted]");
    expect(out.trim().split("\n")).toHaveLength(7);
  });

  it("scrubs signed URLs and bodies out of error messages, stacks and fields", () => {
    const { logger, text } = capture();
    const url = `https://api.binance.com/api/v3/order?symbol=BTCUSDT&side=BUY&timestamp=1700000000000&recvWindow=5000&signature=${SIGNATURE}`;
    const e1 = new Error(
      `binance GET ${url} 400 Bad Request {"code":-1022,"msg":"Signature for this request is not valid."}`,
    );
    const e2 = Object.assign(new Error("request failed"), {
      url: `https://api.example.com/v1/account?apiKey=${API_KEY}&passphrase=${PASSPHRASE}`,
      body: JSON.stringify({ apiKey: API_KEY, secret: SECRET }),
      headers: { "X-MBX-APIKEY": API_KEY },
    });
    const e3 = new Error(`auth failed for X-MBX-APIKEY: ${API_KEY}`, { cause: e2 });
    logger.error({ err: e1 }, "place failed");
    logger.error(e2, "fetch failed");
    logger.error({ error: e3, attempt: 2 }, "sync failed");
    logger.warn({ detail: { nested: e2 } }, "nested error");
    logger.info(`GET ${url}`);
    const out = text();
    expectNoSecrets(out);
    expect(out).toContain("symbol=BTCUSDT");
    expect(out).toContain("signature=[redacted]");
    expect(out).toContain("Signature for this request is not valid.");
    expect(out).toContain('"type":"Error"');
    expect(out).toContain('"attempt":2');
  });

  it("scrubs secrets from text in the usual notations", () => {
    expect(scrubText(`a?x=1&signature=${SIGNATURE}&y=2`)).toBe("a?x=1&signature=[redacted]&y=2");
    expect(scrubText(`{"apiKey":"${API_KEY}","n":1}`)).toBe('{"apiKey":"[redacted]","n":1}');
    expect(scrubText(`{'secret': '${SECRET}'}`)).toBe("{'secret': '[redacted]'}");
    expect(scrubText(`X-MBX-APIKEY: ${API_KEY}`)).toBe("X-MBX-APIKEY: [redacted]");
    expect(scrubText("price=100 qty=2")).toBe("price=100 qty=2");
  });
});
