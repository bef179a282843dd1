/**
 * The OCIS providers as one run of the provider host sees them, for the provider tests: each
 * configured with a connection (the `ocis` ApiConnection's configuration; tests may pass the
 * older `{url, token}` shape, which the providers still accept, to act as a fixed identity).
 */
import {
  newRun,
  providerFor,
  useFastTiming,
  type Ops,
} from "../../../components/providers/test-kit";

useFastTiming();

export interface OcisOps {
  groupProvider: Ops;
  spaceProvider: Ops;
  spaceMemberProvider: Ops;
}

/** A new run (no cached caller, no minted bearer) with this connection. */
export function ocisOps(connection: object): OcisOps {
  newRun();
  return {
    groupProvider: providerFor("ocis:Group", connection),
    spaceProvider: providerFor("ocis:Space", connection),
    spaceMemberProvider: providerFor("ocis:SpaceMember", connection),
  };
}
