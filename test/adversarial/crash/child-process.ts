// A TypeScript entry point run in a child process as `npm start` runs main.ts: node itself with
// tsx's loader (no tsx CLI in between, so a signal reaches the app and nothing else), with its
// output kept and lines it prints awaited.
import { type ChildProcess, spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../../..");

export interface Child {
  process: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** resolves when a stdout line starts with `prefix` (its rest), or null if the child exits first */
  line(prefix: string, timeoutMs: number): Promise<string | null>;
  /** SIGKILL, and the exit seen */
  kill(): Promise<void>;
}

export function startChild(script: string, env: Record<string, string>): Child {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: os.tmpdir(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const waiters: Array<() => void> = [];
  const seen = () => waiters.splice(0).forEach((w) => w());
  child.stdout!.on("data", (d: Buffer) => ((out += d.toString()), seen()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => {
      done = true;
      seen();
      resolve({ code, signal });
    }),
  );
  const find = (prefix: string) => {
    const hit = out.split("\n").find((l) => l.startsWith(prefix));
    return hit === undefined ? undefined : hit.slice(prefix.length).trim();
  };
  return {
    process: child,
    output: () => out,
    exited,
    line(prefix, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no "${prefix}" within ${timeoutMs} ms:\n${out.slice(-4000)}`)),
          timeoutMs,
        );
        const check = () => {
          const hit = find(prefix);
          if (hit !== undefined || done) {
            clearTimeout(timer);
            resolve(hit ?? null);
          } else waiters.push(check);
        };
        check();
      });
    },
    async kill() {
      if (!done) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** mulberry32: a small seeded generator, the same kill times on every run of one seed */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
