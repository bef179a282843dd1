/** The provider contract (suite.ts) for OCIS's types. */
import { ocisCases } from "./ocis.cases";
import { runCases } from "./suite";

runCases(ocisCases);
