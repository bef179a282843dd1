/**
 * Where a provider's credentials come from: the configuration of the provider resource the
 * dynamic resource was registered with (an `ApiConnection`, core/api-connection.ts), never its
 * own inputs. The engine keeps that configuration with the provider resource and hands it to
 * every operation, refresh and delete included, so a rotated credential reaches every object
 * at once without updating any, and nothing short-lived sits in the state of the objects.
 *
 * State written by older versions still names a connection inside each object (and such
 * objects are served by the default provider until their first update): that one is used
 * then, and only then.
 */
export const SERVICE_KEY = "dezky:service";
export const CONNECTION_KEY = "dezky:connection";

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

export interface Configured {
  service?: string;
  connection?: unknown;
}

/** Removes secret envelopes at any depth (the host unwraps only the top level). */
export function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (!value || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (record[SECRET_SIG] === SECRET_VALUE) return unwrapSecrets(record.value);
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
}

function parsed(value: unknown): unknown {
  if (typeof value !== "string") return unwrapSecrets(value);
  try {
    return unwrapSecrets(JSON.parse(value));
  } catch {
    return value;
  }
}

/** Reads the provider configuration the host passes to `configure`. */
export function readConfigure(config: { get(key: string): unknown }): Configured {
  const read = (key: string) => {
    try {
      return config.get(key);
    } catch {
      return undefined; // no configuration at all (the host had none to pass)
    }
  };
  const service = read(SERVICE_KEY);
  const connection = read(CONNECTION_KEY);
  return {
    service: typeof service === "string" ? service : undefined,
    connection: connection === undefined ? undefined : parsed(connection),
  };
}

/** The connection an operation uses; a clear error when the resource was wired wrongly. */
export function resolveConnection<C>(
  type: string,
  service: string | undefined,
  configured: Configured | undefined,
  props: Record<string, unknown>,
): C {
  if (configured?.connection !== undefined) {
    if (service && configured.service && configured.service !== service) {
      throw new Error(
        `${type}: registered with the ${configured.service} connection, but it needs the ${service} ` +
          `connection; pass { provider: <the ${service} ApiConnection> } to the resource`,
      );
    }
    return configured.connection as C;
  }
  // State from an older version: the object carried its own connection.
  if (props.connection !== undefined) return parsed(props.connection) as C;
  throw new Error(
    `${type}: no ${service ?? "API"} connection: the resource must be registered with ` +
      `{ provider: <the ${service ?? "service"} ApiConnection> } (components/providers/core/api-connection.ts)`,
  );
}
