export * from "./config";
export * from "./cron";
export * from "./k3s-yaml";
export * from "./scripts";
export * from "./upgrade";
export * from "./restore";
export * from "./k3s";
