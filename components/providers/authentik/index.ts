export * from "./names";
export * from "./budget";
export * from "./group";
export * from "./oauth2-provider";
export * from "./application";
export type { AuthentikConnection, HttpTuning } from "./session";
export {
  DEFAULT_GRANT_TYPES,
  DEFAULT_SCOPES,
  DEFAULT_AUTHORIZATION_FLOW,
  DEFAULT_INVALIDATION_FLOW,
  DEFAULT_SIGNING_KEY,
} from "./oauth2-provider-provider";
