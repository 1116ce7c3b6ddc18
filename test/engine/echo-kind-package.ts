import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type * as tsTypes from "typescript";
import { echoKind } from "./fixtures/echo-kind";

/**
 * Writes the test-only `fnstack-test:Echo` kind as a package directory into `targetDir`: `index.js`
 * transpiled from fixtures/echo-kind.ts, and `register.js`, which registers the kind with the
 * `fnstack/provider` runtime it resolves from the project. Returns the absolute path of `register.js`,
 * for the plugin's `NODE_OPTIONS=--require` (the engine passes the CLI's environment through).
 */
export function echoKindPackage(targetDir: string): string {
  const ts = require("typescript") as typeof tsTypes;
  const source = readFileSync(join(__dirname, "fixtures", "echo-kind.ts"), "utf8");
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: false,
    },
  });
  mkdirSync(targetDir, { recursive: true });
  writeFileSync(
    join(targetDir, "package.json"),
    JSON.stringify({ name: "fnstack-echo-kind", main: "index.js" }),
  );
  writeFileSync(join(targetDir, "index.js"), outputText);
  const register = join(targetDir, "register.js");
  writeFileSync(
    register,
    `"use strict";\nrequire("fnstack/provider").registerHandler(${JSON.stringify(echoKind)}, () => require("./index.js").createEchoHandler());\n`,
  );
  return register;
}
