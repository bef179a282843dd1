import * as path from "node:path";
export function load(): unknown {
  // eslint-disable-next-line
  return require(path.join(__dirname, "a.ts"));
}
