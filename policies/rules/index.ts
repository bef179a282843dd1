// Barrel: the rules and their building blocks.
export * from "./backups";
export * from "./capacity";
export * from "./cost";
export * from "./data-safety";
export * from "./exposure";
export * from "./facts";
export * from "./mail";
export * from "./pack";
export * from "./residency";
export * from "./secrets";
export * from "./tenant-isolation";
export * from "./typed-dynamic";
export * from "./types";
export * from "./versions";
export { isProductionStack, PRODUCTION_TAG } from "./util";
