export * from "./client";
export * from "./rdns";
export * from "./firewall";
export type { RobotRule } from "./firewall-provider";
