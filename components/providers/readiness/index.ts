export * from "./probe";
export * from "./readiness";
export * from "./readiness-provider";
