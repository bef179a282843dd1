// The pack entry for `pulumi preview --policy-pack policies`. Constructing a PolicyPack starts
// its gRPC server, so this file only constructs it; tests and evaluatePolicies never import it.
import { PolicyPack } from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import { factsForStack } from "./cell-facts";
import { dezkyPolicies } from "./rules/pack";

new PolicyPack("dezky", {
  description:
    "Dezky guardrails: EU residency, backups, exposure, data safety, tenant isolation, mail, versions, secrets, cost, capacity.",
  enforcementLevel: "advisory",
  policies: dezkyPolicies({
    stack: () => pulumi.getStack(),
    facts: () => factsForStack(pulumi.getStack()),
  }),
});
