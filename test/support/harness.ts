/**
 * Test helpers over the mock-runtime inventory. Each test file runs in its own process
 * (vitest pool "forks"), and runStackUnderMocks may be called once per file.
 */
import {
  type Inventory,
  type InventoryResource,
  runStackUnderMocks,
} from "../../scripts/lib/mock-run";

export { runStackUnderMocks, type Inventory, type InventoryResource };

/** Resources of one type token. */
export function ofType(inventory: Inventory, type: string): InventoryResource[] {
  return inventory.resources.filter((r) => r.type === type);
}

/** The one resource with this type whose name ends with the given suffix; throws otherwise. */
export function one(inventory: Inventory, type: string, nameSuffix = ""): InventoryResource {
  const found = ofType(inventory, type).filter((r) => r.name.endsWith(nameSuffix));
  if (found.length !== 1) {
    throw new Error(
      `expected one ${type} named *${nameSuffix}, found ${found.map((r) => r.name).join(", ") || "none"}`,
    );
  }
  return found[0];
}

/** Children (direct) of a resource. */
export function childrenOf(inventory: Inventory, urn: string): InventoryResource[] {
  return inventory.resources.filter((r) => r.parent === urn);
}
