// An entry built by test/ops/build.test.ts: prints the project folder the bundle finds.
import { PROJECT_ROOT } from "../../../src/lib/paths.ts";

process.stdout.write(PROJECT_ROOT);
