// The credential probe of an installation without live adapters: paper brokers need no key and
// no live broker can be checked, so every probe answers "not-configured" (the bot then says live
// brokers are not configured here) and nothing is ever stored unchecked. The ccxt layer replaces
// it (AppOverrides.credentialProbe / ServiceDeps.credentialProbe).
import type { CredentialProbe, CredentialProbeResult } from "./types.ts";

export class NoLiveProbe implements CredentialProbe {
  supports(): boolean {
    return false;
  }

  async probe(): Promise<CredentialProbeResult> {
    return { ok: false, reason: "not-configured" };
  }
}
