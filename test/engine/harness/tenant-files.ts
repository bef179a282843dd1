/**
 * Tenant files for the engine project, written the way operators write them
 * (tenants/<stack>/<slug>.ts, a default-exported defineTenant), into the run's own folder.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { TenantInput } from "../../../tenants/schema";
import { ENGINE_STACK } from "../project/constants";
import { REPO_ROOT } from "./cli";

export class TenantFiles {
  constructor(readonly root: string) {
    fs.mkdirSync(path.join(root, ENGINE_STACK), { recursive: true });
  }

  private file(slug: string): string {
    return path.join(this.root, ENGINE_STACK, `${slug}.ts`);
  }

  write(tenant: TenantInput): void {
    const schema = path.join(REPO_ROOT, "tenants", "schema");
    fs.writeFileSync(
      this.file(tenant.slug),
      `import { defineTenant } from ${JSON.stringify(schema)};\n\n` +
        `export default defineTenant(${JSON.stringify(tenant, null, 2)});\n`,
    );
  }

  remove(slug: string): void {
    fs.rmSync(this.file(slug));
  }
}
