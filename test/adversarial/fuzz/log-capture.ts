// The app's own logger (src/logger.ts, redaction and all) writing JSON lines into memory, so a
// test can read every line the app logged: errors are findings, and no line may hold a secret.
import { Writable } from "node:stream";
import { type Logger, createLogger } from "../../../src/logger.ts";

export interface LogLine {
  level: number;
  msg?: string;
  raw: string;
}

export class CapturedLogs {
  readonly lines: LogLine[] = [];
  readonly logger: Logger;

  constructor(level = "warn", secrets: string[] = []) {
    const stream = new Writable({
      write: (chunk: Buffer, _enc, done) => {
        for (const raw of chunk.toString().split("\n")) {
          if (!raw.trim()) continue;
          let level: number;
          let msg: string | undefined;
          try {
            const parsed = JSON.parse(raw) as { level?: number; msg?: string };
            level = parsed.level ?? 0;
            msg = parsed.msg;
          } catch {
            level = 60; // a line that is not JSON is itself a finding
          }
          this.lines.push({ level, raw, ...(msg !== undefined ? { msg } : {}) });
        }
        done();
      },
    });
    this.logger = createLogger({ level, format: "json", secrets, destination: stream });
  }

  /** Lines at error level or above (pino: error 50, fatal 60) from index `from` on. */
  errorsSince(from: number): LogLine[] {
    return this.lines.slice(from).filter((l) => l.level >= 50);
  }

  text(): string {
    return this.lines.map((l) => l.raw).join("\n");
  }
}
