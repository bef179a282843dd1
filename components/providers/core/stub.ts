/**
 * The code every dynamic resource stores in the state: one `configure` method that loads this
 * package with `require` at run time and puts the package's provider for the type in place.
 * Pulumi's closure serializer never captures `require` (runtime/closure/parseFunction.js), so
 * the package is captured by reference: the stored text is the same few hundred bytes for every
 * resource of a type, whatever the providers do, and the installed package, not the state,
 * decides behaviour. The dynamic-provider host calls `configure` before any other method
 * (@pulumi/pulumi 3.276.0 cmd/dynamic-provider/index.js getProvider), then looks the methods
 * up on the same object; it resolves the package from the project folder through the
 * workspace link in node_modules, and host.js makes the package's TypeScript loadable there.
 */
import type * as pulumi from "@pulumi/pulumi";

const stubs = new Map<string, pulumi.dynamic.ResourceProvider>();

/** The stored provider of `type` ("<module>:<Type>"); one object per type (Pulumi caches its text by identity). */
export function stub(type: string): pulumi.dynamic.ResourceProvider {
  const known = stubs.get(type);
  if (known) return known;
  const forward = {
    configure(req: pulumi.dynamic.ConfigureRequest) {
      return require("@dezky/providers/host").attach(this, type, req);
    },
  } as unknown as pulumi.dynamic.ResourceProvider;
  stubs.set(type, forward);
  return forward;
}
