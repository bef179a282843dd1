/**
 * The retention check of a change: every tenant's lifecycle fields at the deployed commit (the
 * base) against the change (the working tree or another commit), by the rules in
 * components/tenant/lifecycle.ts. A renamed tenant (renamedFrom) is the same tenant.
 */
import { retentionProblems } from "../../components/tenant/lifecycle";
import {
  type StateKey,
  type TenantState,
  tenantStatesAt,
  tenantStatesOnDisk,
} from "../../tenants/history";
import { problem } from "../../stacks/issues";

/** Pairs base and head states by tenant, following renames in the head. */
export function pairStates(
  base: Map<StateKey, TenantState>,
  head: Map<StateKey, TenantState>,
): Array<{ file: string; base?: TenantState; head?: TenantState }> {
  const claimed = new Set<StateKey>();
  const pairs: Array<{ file: string; base?: TenantState; head?: TenantState }> = [];
  for (const [key, h] of head) {
    let b = base.get(key);
    if (!b) {
      const former = h.renamedFrom
        .map((s) => `${h.stack}/${s}`)
        .find((k) => base.has(k) && !head.has(k));
      if (former) {
        b = base.get(former);
        claimed.add(former);
      }
    }
    claimed.add(key);
    pairs.push({ file: h.file, base: b, head: h });
  }
  for (const [key, b] of base) if (!claimed.has(key)) pairs.push({ file: b.file, base: b });
  return pairs.sort((a, b) => a.file.localeCompare(b.file));
}

/** Problems of a change, as `file: field: what; fix` lines. */
export function retentionRefusals(
  base: Map<StateKey, TenantState>,
  head: Map<StateKey, TenantState>,
  date: string,
  baseName: string,
  stacks?: string[],
): string[] {
  return pairStates(base, head)
    .filter((p) => !stacks || stacks.includes((p.head ?? p.base)!.stack))
    .flatMap((p) =>
      retentionProblems(p.base, p.head, date, baseName).map((r) =>
        problem(p.file, r.field, r.message),
      ),
    );
}

export interface RetentionCheckOptions {
  /** Repository root. */
  root: string;
  /** The deployed commit (deploys) or the PR's base (previews). */
  base: string;
  /** A commit to check instead of the working tree. */
  head?: string;
  /** Only these stacks (default: all). */
  stacks?: string[];
  date: string;
}

/** Reads both sides from git / disk and checks them. */
export function checkRetention(o: RetentionCheckOptions): { problems: string[]; tenants: number } {
  const base = tenantStatesAt(o.root, o.base);
  const head = o.head ? tenantStatesAt(o.root, o.head) : tenantStatesOnDisk(o.root);
  const problems = retentionRefusals(base, head, o.date, o.base, o.stacks);
  return { problems, tenants: new Set([...base.keys(), ...head.keys()]).size };
}
