export * from "./records";
export * from "./zone";
export * from "./zone-name";
