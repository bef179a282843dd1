export { OCIS_TOKEN_CONFIG_KEY, type OcisConnection } from "./client";
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
