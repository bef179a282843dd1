/** Names the engine project and the suite that drives it agree on. */
export const ENGINE_PROJECT = "dezky-engine";
/** The one stack the suite creates; tenant files live in <tenantsDir>/<ENGINE_STACK>/. */
export const ENGINE_STACK = "engine";
