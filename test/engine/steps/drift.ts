/**
 * Refresh: no drift right after a deploy; changes made by hand in each service are found and
 * the next up puts them back; the nightly drift check of .github/workflows/drift.yml passes.
 */
import { textTag } from "../../../components/providers/core/markers";
import { expect } from "vitest";
import { changesOf } from "../harness/events";
import { EngineWorld, PLATFORM_DOMAIN } from "../harness/world";
import { expectSteps, ops } from "./expect";

export async function refreshFindsNoDrift(world: EngineWorld): Promise<void> {
  const result = await world.cli.refresh("refresh");
  EngineWorld.expectSuccess(result, "refresh");
  expectSteps(changesOf(result.events), [], "refresh right after a deploy must find no drift");
}

export async function refreshFindsHandEdits(world: EngineWorld): Promise<void> {
  const { authentik, ocis, stalwart, dns } = world.apis;
  // The simulators may store a new object on each write: look the objects up each time.
  const app = () => [...authentik.state.applications.values()].find((a) => a.slug === slug)!;
  const drive = () => ocis.drives.get(driveId)!;
  const domain = () => stalwart.registry.domains.get(domainId)!;
  const slug = [...authentik.state.applications.values()].find((a) => a.name === "Acme GmbH")!.slug;
  const driveId = ocis.drivesNamed("Acme")[0].id;
  const domainId = [...stalwart.registry.domains.values()].find(
    (d) => d.name === `acme.${PLATFORM_DOMAIN}`,
  )!.id;
  app().name = "Renamed by hand";
  drive().quotaTotal = 1;
  domain().description = "Edited by hand [dezky:acme]";
  const recordA = `rrsets/${PLATFORM_DOMAIN}/acme/A`;
  dns.objects.delete(recordA);
  const edited = ["identity-app", "files-space-main", "mail-acme-dezky-test"];

  const refresh = await world.cli.refresh("refresh after edits by hand");
  EngineWorld.expectSuccess(refresh, "refresh after edits by hand");
  expectSteps(
    changesOf(refresh.events),
    [...ops("update", "acme", ...edited), ...ops("delete", "acme", "subdomain-a")],
    "refresh must find each edit made by hand (and the deleted record set)",
    { soft: true },
  );

  const up = await world.deploy("up after the refresh");
  EngineWorld.expectSuccess(up, "up after the refresh");
  const restore = [...ops("update", "acme", ...edited), ...ops("create", "acme", "subdomain-a")];
  expectSteps(up.planned, restore, "the preview after the refresh plans to undo each edit", {
    soft: true,
  });
  expectSteps(up.applied, restore, "the up after the refresh undoes each edit", { soft: true });
  expect.soft(app().name, "the application's name is back").toBe("Acme GmbH");
  expect.soft(drive().quotaTotal, "the space's quota is back").toBe(100 * 1024 ** 3);
  expect
    .soft(domain().description, "the domain's description is back")
    .toBe(`Tenant acme ${textTag({ tenant: "acme" })}`);
  expect.soft(dns.objects.has(recordA), "the record set is back").toBe(true);
}

export async function nightlyDriftCheckPasses(world: EngineWorld): Promise<void> {
  // drift.yml runs `pulumi preview --refresh --expect-no-changes` every night; by then every
  // token the last deploy minted has expired (one hour, harness/platform-edge.ts).
  world.apis.edge.expireTokens();
  const result = await world.cli.preview("nightly drift check", [
    "--refresh",
    "--expect-no-changes",
  ]);
  EngineWorld.expectSuccess(
    result,
    "the nightly drift check (pulumi preview --refresh --expect-no-changes, tokens expired)",
  );
  expectSteps(changesOf(result.events), [], "the nightly drift check must find no changes");
}
