export type { OcisConnection } from "./connection";
export { OCIS_CREDENTIAL } from "./connection";
export {
  sanitizeSpaceName,
  spaceMarker,
  SPACE_ROLE_IDS,
  type SpaceRole,
  purgeRefusal,
} from "./names";
export * from "./group";
export * from "./space";
export * from "./space-member";
