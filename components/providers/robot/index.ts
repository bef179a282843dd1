export { ROBOT_URL, ROBOT_CREDENTIAL_KEYS, type RobotConnection } from "./client";
export * from "./rdns";
export * from "./firewall";
export type { RobotRule } from "./firewall.runtime";
