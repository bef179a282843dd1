export * from "./bucket";
export { hetznerEndpoint, type S3Connection, type S3Credentials } from "./client";
