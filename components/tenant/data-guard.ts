/**
 * Removing the file of a tenant that still holds data must delete nothing. The engine refuses
 * to delete a protected resource only when it reaches it (pkg/v3@v3.276.0
 * resource/deploy/step.go:759-765, DeleteStep.Apply, also in preview), and it deletes in
 * reverse dependency order: the tenant's unprotected objects (DNS record sets, memberships,
 * the OIDC application) depend on the protected ones and went first. This guard depends on
 * every object of the tenant, so the engine schedules its delete before any of them
 * (step_generator.go:2883-2925, ScheduleDeletes); it is protected exactly as the tenant's data
 * is, so that delete fails, and the engine skips every delete the failed one depends on
 * (deployment_executor.go:590-622). A purge lifts its protection with the data's.
 */
import * as pulumi from "@pulumi/pulumi";

export const TENANT_DATA_GUARD_TYPE = "dezky:tenant:DataGuard";

export interface TenantDataGuardArgs {
  /** Everything of the tenant (components stand for all their resources). */
  guards: pulumi.Resource[];
  production: boolean;
  purgeAllowed: boolean;
}

export class TenantDataGuard extends pulumi.ComponentResource {
  constructor(name: string, args: TenantDataGuardArgs, opts: pulumi.ComponentResourceOptions) {
    super(
      TENANT_DATA_GUARD_TYPE,
      name,
      {},
      {
        ...opts,
        dependsOn: args.guards,
        protect: args.production && !args.purgeAllowed,
      },
    );
    this.registerOutputs({});
  }
}
