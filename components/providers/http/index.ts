export * from "./retrying-fetch";
export * from "./provider-error";
