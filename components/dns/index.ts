export * from "./records";
export * from "./zone";
