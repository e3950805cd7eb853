#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary, which the CLI would download from a host
// this project cannot rely on (offline CI, air-gapped servers). prisma.config.ts points
// PRISMA_SCHEMA_ENGINE_BINARY here. It speaks the CLI's JSON-RPC-over-stdio protocol and runs
// @prisma/schema-engine-wasm on JS driver adapters: better-sqlite3 for file: URLs, pg for
// postgres(ql):// URLs. Plain JavaScript on purpose: the CLI spawns it directly, without tsx.
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { createRequire } from "node:module";
import * as wasm from "@prisma/schema-engine-wasm/schema_engine_bg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";

const args = process.argv.slice(2);
const argValues = (name) => args.flatMap((a, i) => (a === name ? [args[i + 1]] : []));
const log = (line) => process.stderr.write(line + "\n");
const isPostgres = (url) => /^postgres(ql)?:\/\//.test(url ?? "");
const withDatabase = (url, db) => Object.assign(new URL(url), { pathname: `/${db}` }).href;
const quoteIdent = (name) => `"${name.replaceAll('"', '""')}"`;

// The wasm panic hook reports its message through this registry.
let panicMessage;
globalThis.PRISMA_WASM_PANIC_REGISTRY = { set_message: (m) => (panicMessage = m) };

function adapterFactory(url) {
  if (url?.startsWith("file:")) return new PrismaBetterSqlite3({ url });
  if (!isPostgres(url)) {
    throw new Error(
      `schema-engine shim: unsupported datasource url scheme ${String(url).split(":")[0]}:`,
    );
  }
  const schema = new URL(url).searchParams.get("schema") ?? undefined;
  const factory = new PrismaPg({ connectionString: url }, { schema });
  // PrismaPg.connectToShadowDb() in 7.10 connects to the *main* database (node-postgres ignores
  // `database` next to a connectionString) and drops the shadow database before closing its
  // pool. Create, use and drop a uniquely named shadow database ourselves.
  factory.connectToShadowDb = async () => {
    const admin = await new PrismaPg({ connectionString: url }).connect();
    const name = `prisma_migrate_shadow_db_${crypto.randomUUID()}`;
    await admin.executeScript(`CREATE DATABASE ${quoteIdent(name)}`);
    const conn = await new PrismaPg({ connectionString: withDatabase(url, name) }).connect();
    const dispose = conn.dispose.bind(conn);
    conn.dispose = async () => {
      await dispose();
      await admin.executeScript(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
      await admin.dispose();
    };
    return conn;
  };
  return factory;
}

function patchConnection(conn) {
  // adapter-pg rejects PostgreSQL's internal type "char" (oid 18), which the schema describer
  // selects from pg_catalog (pg_constraint.contype): read such columns as text (oid 25).
  if (conn.provider === "postgres" && typeof conn.performIO === "function") {
    const performIO = conn.performIO.bind(conn);
    conn.performIO = async (query) => {
      const result = await performIO(query);
      for (const field of result.fields ?? []) if (field.dataTypeID === 18) field.dataTypeID = 25;
      return result;
    };
  }
  // better-sqlite3's executeRaw() runs a single statement, but the engine replays whole
  // migration scripts on the SQLite shadow database through it: fall back to executeScript().
  const executeRaw = conn.executeRaw.bind(conn);
  conn.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (e) {
      if (query.args.length || !/more than one statement/.test(e.message)) throw e;
      await conn.executeScript(query.sql);
      return 0;
    }
  };
  return conn;
}

function loadWasm() {
  const entry = createRequire(import.meta.url).resolve(
    "@prisma/schema-engine-wasm/schema_engine_bg",
  );
  const bytes = fs.readFileSync(path.join(path.dirname(entry), "schema_engine_bg.wasm"));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    "./schema_engine_bg.js": wasm,
  });
  wasm.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return wasm;
}

if (args.includes("--version")) {
  console.log(`schema-engine-cli ${loadWasm().version()}`);
  process.exit(0);
}

const datasource = JSON.parse(argValues("--datasource")[0] ?? "{}");

// `--datasource {...} cli can-connect-to-database|create-database` runs before migrate
// dev/deploy/reset. Connecting creates a missing SQLite file; PostgreSQL gets CREATE DATABASE.
if (args.includes("cli")) {
  try {
    const create = args.includes("create-database") && isPostgres(datasource.url);
    const url = create ? withDatabase(datasource.url, "postgres") : datasource.url;
    const conn = await adapterFactory(url).connect();
    if (create) {
      const name = decodeURIComponent(new URL(datasource.url).pathname.slice(1));
      await conn.executeScript(`CREATE DATABASE ${quoteIdent(name)}`);
    } else {
      await conn.queryRaw({ sql: "SELECT 1", args: [], argTypes: [] });
    }
    await conn.dispose();
    process.exit(0);
  } catch (e) {
    const error_code = e.cause?.kind === "DatabaseDoesNotExist" ? "P1003" : "P1001";
    const fields = { error_code, message: e.cause?.originalMessage ?? e.message };
    log("schema-engine shim: cli command failed"); // the CLI skips the first stderr line
    log(JSON.stringify({ level: "ERROR", target: "schema_engine::logger", fields }));
    process.exit(1);
  }
}

// JSON-RPC mode. The engine holds a delegate of the main connection so that a SQLite reset can
// swap the connection underneath it.
const factory = adapterFactory(datasource.url);
const connect = factory.connect.bind(factory);
const connectShadow = factory.connectToShadowDb.bind(factory);
let main;
const delegate = new Proxy(
  {},
  { get: (_, key) => (typeof main[key] === "function" ? (...a) => main[key](...a) : main[key]) },
);
factory.connect = async () => ((main = patchConnection(await connect())), delegate);
factory.connectToShadowDb = async () => patchConnection(await connectShadow());
const datamodels = argValues("--datamodels").map((p) => [
  p,
  fs.readFileSync(path.resolve(p), "utf8"),
]);
const engine = await loadWasm().SchemaEngine.new(
  // an empty list panics inside the engine: pass undefined instead
  { datamodels: datamodels.length ? datamodels : undefined },
  log,
  bindMigrationAwareSqlAdapterFactory(factory),
);

async function call(method, params) {
  if (method === "reset" && factory.provider === "sqlite") {
    // the wasm SQLite reset() keeps every table; do what the native engine does: truncate the file
    await main?.dispose();
    fs.writeFileSync(datasource.url.replace(/^file:/, "").replace(/\?.*$/, ""), "");
    main = patchConnection(await connect());
    return {};
  }
  const fn = method === "getDatabaseVersion" ? "version" : method;
  if (typeof engine[fn] !== "function")
    throw new Error(`schema-engine shim: ${method} is not supported`);
  try {
    return (await engine[fn](params)) ?? {};
  } catch (e) {
    // On a fresh database the wasm engine reports the missing _prisma_migrations table as P1014
    // instead of "not initialised": an applyMigrations() with no migrations creates it. Retry once.
    if (e.code !== "P1014" || !/_prisma_migrations/.test(e.message)) throw e;
    const migrationsList = {
      baseDir: process.cwd(),
      lockfile: { path: "migration_lock.toml", content: null },
      shadowDbInitScript: "",
      migrationDirectories: [],
    };
    await engine.applyMigrations({
      migrationsList,
      filters: { externalTables: [], externalEnums: [] },
    });
    return (await engine[fn](params)) ?? {};
  }
}

const send = (message) =>
  process.stdout.write(JSON.stringify({ jsonrpc: "2.0", ...message }) + "\n");
let queue = Promise.resolve();
readline
  .createInterface({ input: process.stdin, crlfDelay: Infinity })
  .on("line", (line) => {
    const request = line.trim() && JSON.parse(line);
    if (!request?.method) return; // a blank line, or the CLI's answer to our "print" request
    queue = queue.then(async () => {
      try {
        const result = await call(request.method, request.params);
        if (request.method === "diff" && result.stdout) {
          // the native engine prints diffs through a "print" request to the CLI
          send({ id: `print-${request.id}`, method: "print", params: { content: result.stdout } });
          delete result.stdout;
        }
        send({ id: request.id, result });
      } catch (e) {
        const is_panic = e instanceof WebAssembly.RuntimeError;
        const message = (is_panic && panicMessage) || e.message || String(e);
        const data = { is_panic, message, ...(e.code && { error_code: e.code, meta: e.meta }) };
        send({
          id: request.id,
          error: {
            code: 4466,
            message: "An error happened. Check the data field for details.",
            data,
          },
        });
      }
    });
  })
  .on("close", () => queue.finally(() => process.exit(0)));
