/** The provider contract (suite.ts) for Authentik's types. */
import { authentikCases } from "./authentik.cases";
import { runCases } from "./suite";

runCases(authentikCases);
