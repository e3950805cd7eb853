// Entry point: `npm start`. Validates the configuration (naming every problem), applies
// migrations, starts the bot and its jobs, and shuts down cleanly on SIGINT/SIGTERM (a second
// signal exits at once). `npm start` runs this file in node itself (`node --import tsx`), so the
// signal npm forwards reaches this process and no wrapper is left behind.
import fs from "node:fs";
import { ConfigError, loadConfig } from "./config.ts";
import { InstanceConflictError, createApp } from "./app.ts";

const SHUTDOWN_GRACE_MS = 10_000;
const PARENT_CHECK_MS = 1_000;

async function main(): Promise<void> {
  // a .env file in the working directory, if present (real environment variables win)
  if (fs.existsSync(".env")) process.loadEnvFile(".env");
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  let exitCode = 0;
  let app: Awaited<ReturnType<typeof createApp>>;
  try {
    app = await createApp(config, {
      onFatal: (reason) => {
        exitCode = 1;
        shutdown(reason);
      },
    });
  } catch (e) {
    // an unusable SECRETS_KEY_FILE is found when the app reads it
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  let stopping = false;
  const shutdown = (reason: string) => {
    if (stopping) {
      // a second signal: the operator does not want to wait for the graceful stop
      app.logger.warn({ reason }, "second signal while stopping; exiting now");
      process.exit(130);
    }
    stopping = true;
    app.logger.info({ reason }, "shutting down");
    const force = setTimeout(() => {
      app.logger.error("shutdown took too long; exiting");
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    app.stop().then(
      () => {
        app.logger.info("stopped");
        process.exit(exitCode);
      },
      (err: unknown) => {
        app.logger.error({ err }, "error while stopping");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  watchParent(shutdown);
  try {
    await app.start();
  } catch (e) {
    if (!(e instanceof InstanceConflictError)) throw e;
    app.logger.fatal(e.message);
    exitCode = 1;
    shutdown("instance conflict");
  }
}

/**
 * Started by `npm start`, the bot must not outlive npm: a supervisor that kills npm with SIGKILL
 * (no signal to forward) would otherwise leave an orphan polling the same token. When the parent
 * changes (we were re-parented to init or a subreaper), stop as on SIGTERM.
 */
function watchParent(shutdown: (reason: string) => void): void {
  if (!process.env.npm_lifecycle_event) return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      shutdown("parent process exited");
    }
  }, PARENT_CHECK_MS);
  timer.unref();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
