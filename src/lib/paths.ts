// Where the project lives on disk (locales, prisma, scripts are found from here), whatever the
// working directory the process was started in.
import path from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
