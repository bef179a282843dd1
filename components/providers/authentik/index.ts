export * from "./names";
export * from "./budget";
export * from "./group";
export * from "./oauth2-provider";
export * from "./application";
export type { AuthentikConnection } from "./connection";
