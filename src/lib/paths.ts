// Where the project lives on disk (locales, prisma, scripts are found from here), whatever the
// working directory the process was started in: the nearest folder above this module that holds
// the project's package.json. This module runs from src/lib (tsx, tests) and from the built
// bundle in dist/ (npm start), so the distance up is not fixed.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_NAME = "tradedesk";

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest)) {
      const { name } = JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: unknown };
      if (name === PACKAGE_NAME) return dir;
    }
    if (path.dirname(dir) === dir)
      throw new Error(`no ${PACKAGE_NAME} package.json above ${from}: is the project intact?`);
  }
}

export const PROJECT_ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));
