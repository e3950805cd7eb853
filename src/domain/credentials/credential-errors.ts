// Typed errors of the secret store. None of them carries secret material: at most an account id
// and the fingerprints (key ids) of master keys.
import type { CredentialProbeFailure } from "../../brokers/types.ts";
import { DomainError } from "../errors.ts";

/** No master key is configured: live credentials cannot be stored or read here. */
export class SecretsNotConfiguredError extends DomainError {
  readonly code = "SECRETS_NOT_CONFIGURED";
  constructor() {
    super(
      "error-secrets-no-master-key",
      {},
      "no master key: set SECRETS_MASTER_KEY or SECRETS_KEY_FILE (openssl rand -base64 32)",
    );
  }
}

/** A stored record does not open with the configured master key (another key, or altered). */
export class CredentialsUnreadableError extends DomainError {
  readonly code = "SECRETS_UNREADABLE";
  constructor(
    readonly accountId: number,
    readonly storedKeyId: string,
    readonly currentKeyId: string,
    readonly reason: "key-mismatch" | "corrupt",
  ) {
    super(
      "error-credentials-unreadable",
      { account: accountId, storedKeyId, currentKeyId },
      reason === "key-mismatch"
        ? `credentials of account ${accountId} were encrypted under master key ${storedKeyId}, the configured key is ${currentKeyId}`
        : `credentials of account ${accountId} do not decrypt under master key ${currentKeyId} (wrong key or altered record)`,
    );
  }
}

/** The account has no stored credentials. */
export class CredentialsMissingError extends DomainError {
  readonly code = "SECRETS_MISSING";
  constructor(readonly accountId: number) {
    super("error-credentials-missing", { account: accountId });
  }
}

/** The i18n key of each refusal (spelled out so the translation check finds them). */
const REJECTION_KEYS: Record<CredentialProbeFailure | "can-withdraw", string> = {
  "invalid-key": "error-key-invalid-key",
  "permission-denied": "error-key-permission-denied",
  unreachable: "error-key-unreachable",
  "not-configured": "error-key-not-configured",
  "can-withdraw": "error-key-can-withdraw",
};

/** The exchange did not accept the key pair, or the key may withdraw funds. */
export class CredentialsRejectedError extends DomainError {
  readonly code = "CREDENTIALS_REJECTED";
  constructor(
    readonly reason: CredentialProbeFailure | "can-withdraw",
    /** the broker's name, as people know it */
    readonly broker: string,
  ) {
    super(REJECTION_KEYS[reason], { broker });
  }
}
