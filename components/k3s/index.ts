export * from "./config";
export * from "./scripts";
export * from "./upgrade";
export * from "./restore";
export * from "./k3s";
