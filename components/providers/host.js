// The entry the dynamic-provider host loads, through the stub every dynamic resource stores
// (core/stub.ts). That host is plain Node, so this file is JavaScript: it lets Node load this
// package's TypeScript by transpiling each file with the project's TypeScript 5.x (syntax only,
// no type check: `npm run typecheck` does that) when no other loader is registered, then puts
// the package's provider for a type onto the stub object the host holds.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

if (!require.extensions[".ts"]) {
  const ts = require("typescript");
  const compilerOptions = {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    esModuleInterop: true,
    inlineSourceMap: true,
  };
  require.extensions[".ts"] = function transpile(module, filename) {
    const source = fs.readFileSync(filename, "utf8");
    const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
    module._compile(outputText, filename);
  };
}

const { runtimeFor } = require(path.join(__dirname, "registry.ts"));

const METHODS = ["check", "diff", "create", "read", "update", "delete"];

/**
 * Called by the stub's `configure`: configures a provider instance for `type` with the host's
 * request and puts its methods on `stub`, which the host calls from then on.
 */
exports.attach = async function attach(stub, type, req) {
  const instance = runtimeFor(type);
  await instance.configure(req);
  for (const method of METHODS) stub[method] = instance[method].bind(instance);
};
