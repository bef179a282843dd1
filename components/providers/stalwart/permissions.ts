/**
 * Exactly the Stalwart 0.16 permissions the tenant mail providers' calls need, granted to the
 * tenant provisioning account's role instead of using the superuser recovery admin
 * (stalwartlabs/stalwart@v0.16.18):
 * - `authenticate`: a login without it fails (common/src/auth/authentication.rs:40-45);
 * - `x:<Object>/get` needs `sys<Object>Get`, `/query` `sys<Object>Query` (jmap/src/api/auth.rs:
 *   88-93, :294-299; registry/src/schema/properties_impl.rs:3613-3798), `/set` the object's
 *   Create, Update and Destroy permissions for what it asks (auth.rs:202-214, validate_set
 *   :319-356; properties_impl.rs:3957-3991).
 * Calls made: x:Domain get/query/set(create, update, destroy) in domain-api.ts and
 * domain-delete.ts; x:DkimSignature get/query/set(create, update, destroy) in
 * dkim-rotation.ts and domain-delete.ts. Nothing else (no accounts, roles, settings).
 */
const crud = (object: string) =>
  ["Get", "Create", "Update", "Destroy", "Query"].map((verb) => `sys${object}${verb}`);

export const TENANT_MAIL_PERMISSIONS: readonly string[] = [
  "authenticate",
  ...crud("Domain"),
  ...crud("DkimSignature"),
];
