/** A single-instance PostgreSQL StatefulSet + Service (Authentik's database). */
import { execProbe, fromSecret, labels, resources } from "./k8s-shapes";

export interface PostgresOptions {
  name: string;
  namespace: string;
  /** repository:tag from env.versions.postgres. */
  image: string;
  database: string;
  user: string;
  /** Secret holding the password under key `password`. */
  passwordSecret: string;
  storageGi: number;
  cell: string;
}

export function postgresStatefulSet(o: PostgresOptions) {
  const l = labels(o.name, o.cell);
  return {
    metadata: { name: o.name, namespace: o.namespace, labels: l },
    spec: {
      serviceName: o.name,
      replicas: 1,
      selector: { matchLabels: { "app.kubernetes.io/name": o.name } },
      template: {
        metadata: { labels: l },
        spec: {
          containers: [
            {
              name: "postgres",
              image: o.image,
              ports: [{ name: "postgres", containerPort: 5432 }],
              env: [
                { name: "POSTGRES_DB", value: o.database },
                { name: "POSTGRES_USER", value: o.user },
                { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
                fromSecret("POSTGRES_PASSWORD", o.passwordSecret, "password"),
              ],
              resources: resources("100m", "256Mi", "1", "1Gi"),
              readinessProbe: execProbe(["pg_isready", "-U", o.user, "-d", o.database], 5),
              volumeMounts: [{ name: "data", mountPath: "/var/lib/postgresql/data" }],
            },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: "data" },
          spec: {
            accessModes: ["ReadWriteOnce"],
            resources: { requests: { storage: `${o.storageGi}Gi` } },
          },
        },
      ],
    },
  };
}

export function postgresService(o: Pick<PostgresOptions, "name" | "namespace" | "cell">) {
  return {
    metadata: { name: o.name, namespace: o.namespace, labels: labels(o.name, o.cell) },
    spec: {
      selector: { "app.kubernetes.io/name": o.name },
      ports: [{ name: "postgres", port: 5432 }],
    },
  };
}
