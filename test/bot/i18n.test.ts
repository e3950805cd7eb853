// Every locale has every key, and every key the code uses exists in every locale: keys are
// collected from the source (t("..."), "error-..." / "access-..." literals, descriptionKey and
// exampleKey, field-/entity- names of domain errors, and the dynamic families the bot builds).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SUPPORTED_LOCALES } from "../../src/config.ts";
import { LOCALES_DIR, createI18n } from "../../src/bot/i18n.ts";

function ftlKeys(locale: string): Set<string> {
  return new Set(ftlMessages(locale).keys());
}

/** key → the variables its message refers to, over every locales/<locale>/*.ftl file */
function ftlMessages(locale: string): Map<string, string[]> {
  const dir = path.join(LOCALES_DIR, locale);
  const text = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ftl"))
    .map((f) => fs.readFileSync(path.join(dir, f), "utf8"))
    .join("\n");
  const out = new Map<string, string[]>();
  const starts = [...text.matchAll(/^([a-zA-Z][a-zA-Z0-9_-]*)\s*=/gm)];
  starts.forEach((m, i) => {
    const body = text.slice(m.index, starts[i + 1]?.index ?? text.length);
    out.set(m[1]!, [...new Set([...body.matchAll(/\$([a-zA-Z]+)/g)].map((v) => v[1]!))]);
  });
  return out;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "generated" ? [] : sourceFiles(full);
    return e.name.endsWith(".ts") ? [full] : [];
  });
}

function keysUsedInCode(): Map<string, string> {
  const used = new Map<string, string>();
  const add = (key: string, file: string) => used.set(key, path.relative(process.cwd(), file));
  for (const file of sourceFiles("src")) {
    const code = fs.readFileSync(file, "utf8");
    for (const m of code.matchAll(/\bt\(\s*"([a-z][a-z0-9-]*)"/g)) add(m[1]!, file);
    for (const m of code.matchAll(/"((?:error|access)-[a-z0-9-]+)"/g)) add(m[1]!, file);
    for (const m of code.matchAll(
      /(?:descriptionKey|exampleKey|titleKey|labelKey):\s*"([a-z][a-z0-9-]*)"/g,
    ))
      add(m[1]!, file);
    for (const m of code.matchAll(/new (?:ValidationError|ConflictError)\(\s*"([a-zA-Z]+)"/g))
      add(`field-${m[1]}`, file);
    for (const m of code.matchAll(/new NotFoundError\(\s*"([a-z]+)"/g)) add(`entity-${m[1]}`, file);
  }
  // families whose keys the bot builds from a list
  for (const f of ["all", "pending", "active", "inactive", "admins"])
    add(`users-filter-${f}`, "admin-users.ts");
  for (const a of ["ap", "rj", "de", "re", "pr", "dm"]) add(`users-done-${a}`, "admin-users.ts");
  for (const s of ["pending", "approved", "rejected"]) add(`users-status-${s}`, "admin-users.ts");
  return used;
}

describe("translations", () => {
  const keys = Object.fromEntries(SUPPORTED_LOCALES.map((l) => [l, ftlKeys(l)]));

  it("declares each key once per locale", () => {
    for (const locale of SUPPORTED_LOCALES) {
      const dir = path.join(LOCALES_DIR, locale);
      const all = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".ftl"))
        .flatMap((f) =>
          [
            ...fs
              .readFileSync(path.join(dir, f), "utf8")
              .matchAll(/^([a-zA-Z][a-zA-Z0-9_-]*)\s*=/gm),
          ].map((m) => m[1]!),
        );
      expect(
        all.filter((k, i) => all.indexOf(k) !== i),
        `duplicated in ${locale}`,
      ).toEqual([]);
    }
  });

  it("has the same keys in every locale", () => {
    const [first, ...rest] = SUPPORTED_LOCALES;
    for (const other of rest) {
      const missingInOther = [...keys[first]!].filter((k) => !keys[other]!.has(k));
      const missingInFirst = [...keys[other]!].filter((k) => !keys[first]!.has(k));
      expect(missingInOther, `missing in ${other}.ftl`).toEqual([]);
      expect(missingInFirst, `missing in ${first}.ftl`).toEqual([]);
    }
  });

  it("translates every key the code uses, in every locale", () => {
    const used = keysUsedInCode();
    expect(used.size).toBeGreaterThan(100);
    for (const locale of SUPPORTED_LOCALES) {
      const missing = [...used]
        .filter(([k]) => !keys[locale]!.has(k))
        .map(([k, file]) => `${k} (${file})`);
      expect(missing, `keys missing in ${locale}.ftl`).toEqual([]);
    }
  });

  it("formats every message in every locale without unresolved placeables", () => {
    const i18n = createI18n("en");
    for (const locale of SUPPORTED_LOCALES) {
      for (const [key, variables] of ftlMessages(locale)) {
        const text = i18n.t(locale, key, Object.fromEntries(variables.map((v) => [v, "1"])));
        expect(text, `${locale}:${key}`).not.toMatch(/\{\$|\{\?\?\?\}|^$/);
      }
    }
  });

  it("gives Russian speakers Russian and everyone else the default", () => {
    const i18n = createI18n("en");
    expect(i18n.t("ru", "help-title")).toBe("Команды");
    expect(i18n.t("en", "help-title")).toBe("Commands");
    // the bundles matched for a locale are kept: asked again, in any order, the answers hold
    for (let i = 0; i < 3; i++) {
      expect(i18n.t("en", "help-title")).toBe("Commands");
      expect(i18n.t("ru", "help-title")).toBe("Команды");
      expect(i18n.t("de", "help-title")).toBe("Commands");
    }
  });
});
