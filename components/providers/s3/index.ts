export * from "./bucket";
export * from "./bucket-provider";
export * from "./client";
