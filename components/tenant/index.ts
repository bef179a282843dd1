export * from "./tenant";
export * from "./identity";
export * from "./files";
export * from "./mail";
export * from "./custom-domain";
export * from "./mail-layout";
export * from "./lifecycle";
export * from "./shared";
