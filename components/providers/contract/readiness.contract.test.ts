/** The provider contract (suite.ts) for the API readiness gate. */
import { readinessCases } from "./readiness.cases";
import { runCases } from "./suite";

runCases(readinessCases);
