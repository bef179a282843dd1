/**
 * @dezky/providers, the program's side: the dynamic resource classes, the API connections they
 * are registered with, and the pure rules and names the components use. The implementations
 * (`*.runtime.ts`) are loaded by the dynamic-provider host through host.js, never here.
 */
export { ApiConnection, type ApiConnectionArgs, type ServiceName } from "./core/api-connection";
export type { DezkyResourceOptions } from "./core/resource";
export * from "./readiness";
export * as authentik from "./authentik";
export * as ocis from "./ocis";
export * as stalwart from "./stalwart";
export * as s3 from "./s3";
export * as robot from "./robot";
