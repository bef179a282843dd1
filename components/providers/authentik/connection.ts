/** The Authentik connection (the configuration of the `authentik` ApiConnection). */
export interface AuthentikConnection {
  /** Base URL of Authentik, e.g. `https://auth.example.eu` (the client adds /api/v3). */
  url: string;
  /** API token of the tenant provisioner service account (never the bootstrap superuser token). */
  token: string;
}
