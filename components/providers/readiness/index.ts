export * from "./readiness";
export type { ClientCredentials, ProbeSpec } from "./probe";
