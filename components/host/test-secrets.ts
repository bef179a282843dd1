/** Test support: the mock runtime hands secrets over in Pulumi's wire form { <sig>: ..., value }. */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";

export function revealSecret(value: unknown): Record<string, unknown> {
  const v = (value ?? {}) as Record<string, unknown>;
  return (SECRET_SIG in v ? v.value : v) as Record<string, unknown>;
}
