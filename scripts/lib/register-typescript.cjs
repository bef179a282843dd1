// Runs .ts files the way `pulumi up` does: TypeScript's own compiler (the project's 5.x) turns
// each file into CommonJS with the project's tsconfig options, as Pulumi's ts-node does.
// tsx/esbuild would interop `import * as` differently, which changes what closure
// serialization captures into dynamic providers (a whole client by value instead of a
// require by reference), so the offline plan would not match production.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const ts = require("typescript");

const configPath = path.join(__dirname, "..", "..", "tsconfig.json");
const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, "\n"));
const { options } = ts.convertCompilerOptionsFromJson(
  config.compilerOptions,
  path.dirname(configPath),
);
const compilerOptions = {
  ...options,
  sourceMap: false,
  inlineSourceMap: true,
  inlineSources: false,
  noEmit: false,
};

require.extensions[".ts"] = function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, "utf8");
  const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};
