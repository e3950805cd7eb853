// npm run secrets:rekey -- --new-key-file FILE     (or SECRETS_NEW_MASTER_KEY=... npm run secrets:rekey)
//
// Re-encrypts every stored exchange credential from the current master key (SECRETS_MASTER_KEY or
// SECRETS_KEY_FILE, as the bot reads it) to a new one, in one transaction: each record is opened
// with the current key, sealed under the new one and opened again before anything is committed.
// A record that does not open with the current key stops everything (nothing is changed) and is
// named by its account id, never by anything secret. Stop the bot first, then start it with the
// new key (the bot cannot read records sealed under a key it does not have).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { NoLiveProbe } from "../src/brokers/credential-probe.ts";
import { ConfigError, loadSecretsConfig } from "../src/config.ts";
import { openDatabase } from "../src/db/client.ts";
import { resolveDatabaseUrl } from "../src/db/url.ts";
import { CredentialsUnreadableError } from "../src/domain/credentials/credential-errors.ts";
import { CredentialService } from "../src/domain/credentials/credential-service.ts";
import { systemClock } from "../src/lib/clock.ts";
import { MasterKey, MasterKeyError, loadMasterKey } from "../src/lib/secrets/master-key.ts";

export interface RekeyIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const USAGE =
  "usage: npm run secrets:rekey -- --new-key-file FILE   (or set SECRETS_NEW_MASTER_KEY)\n" +
  "The current key comes from SECRETS_MASTER_KEY or SECRETS_KEY_FILE; generate a new one with: openssl rand -base64 32";

/** Runs the re-encryption; returns the process exit code (0 done, 1 refused, 2 bad usage). */
export async function runRekey(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: RekeyIo,
): Promise<number> {
  let newKeyFile: string | undefined;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { "new-key-file": { type: "string" }, help: { type: "boolean" } },
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    newKeyFile = values["new-key-file"];
  } catch (e) {
    io.err(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const newKeyText = env.SECRETS_NEW_MASTER_KEY?.trim() || undefined;
  if (newKeyFile && newKeyText) {
    io.err("give the new key either with --new-key-file or SECRETS_NEW_MASTER_KEY, not both");
    return 2;
  }
  if (!newKeyFile && !newKeyText) {
    io.err(`no new key given\n${USAGE}`);
    return 2;
  }

  let current: MasterKey | null;
  let next: MasterKey;
  try {
    const secrets = loadSecretsConfig(env);
    current = loadMasterKey(
      { masterKey: secrets.SECRETS_MASTER_KEY, keyFile: secrets.SECRETS_KEY_FILE },
      io.err,
    );
    next = newKeyFile
      ? MasterKey.fromFile(newKeyFile, io.err)
      : MasterKey.parse(newKeyText!, "SECRETS_NEW_MASTER_KEY");
  } catch (e) {
    if (e instanceof ConfigError || e instanceof MasterKeyError) {
      io.err(e.message);
      return 2;
    }
    throw e;
  }
  if (!current) {
    io.err(
      "no current master key: set SECRETS_MASTER_KEY or SECRETS_KEY_FILE to the key the records are encrypted with",
    );
    return 2;
  }
  if (current.id === next.id) {
    io.err(`the new key is the current key (${current.id}): nothing to do`);
    return 2;
  }

  const database = openDatabase(resolveDatabaseUrl(env.DATABASE_URL));
  try {
    const service = new CredentialService(
      { db: database.prisma, provider: database.provider, clock: systemClock },
      { masterKey: current, probe: new NoLiveProbe() },
    );
    const summary = await service.rekey(next);
    io.out(
      `re-encrypted ${summary.rekeyed} of ${summary.total} credential record(s) from master key ${summary.fromKeyId} to ${summary.toKeyId}` +
        (summary.unchanged ? ` (${summary.unchanged} already under ${summary.toKeyId})` : ""),
    );
    io.out(
      `now start the bot with the new key (SECRETS_MASTER_KEY or SECRETS_KEY_FILE, key id ${summary.toKeyId})`,
    );
    return 0;
  } catch (e) {
    if (e instanceof CredentialsUnreadableError) {
      io.err(
        `refused: the credentials of account ${e.accountId} do not decrypt with the current master key ${e.currentKeyId}` +
          (e.reason === "key-mismatch" ? ` (they were encrypted under ${e.storedKeyId})` : "") +
          ". Nothing was changed.",
      );
      return 1;
    }
    throw e;
  } finally {
    await database.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  // a .env file in the working directory, as npm start reads it (real environment variables win)
  if (fs.existsSync(".env")) process.loadEnvFile(".env");
  runRekey(process.argv.slice(2), process.env, {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  }).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    },
  );
}
