// The entry of a backtest worker thread: registers tsx's loader in this thread, then runs the
// TypeScript worker. `execArgv: ["--import", "tsx"]` does not do it: Node 20 refused the .ts
// entry of a worker started that way ("Unknown file extension .ts"), from `npm start` and from
// vitest alike, while a loader registered inside the thread works in both.
import { register } from "tsx/esm/api";

register();
await import(new URL("./backtest-worker.ts", import.meta.url).href);
