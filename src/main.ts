// Entry point: `npm start`. Validates the configuration (naming every problem), applies
// migrations, starts the bot and its jobs, and shuts down cleanly on SIGINT/SIGTERM.
import fs from "node:fs";
import { ConfigError, loadConfig } from "./config.ts";
import { createApp } from "./app.ts";

const SHUTDOWN_GRACE_MS = 10_000;

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
  let app;
  try {
    app = await createApp(config);
  } catch (e) {
    // an unusable SECRETS_KEY_FILE is found when the app reads it
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, "shutting down");
    const force = setTimeout(() => {
      app.logger.error("shutdown took too long; exiting");
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    app.stop().then(
      () => {
        app.logger.info("stopped");
        process.exit(0);
      },
      (err: unknown) => {
        app.logger.error({ err }, "error while stopping");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  await app.start();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
