/** The provider contract (suite.ts) for Stalwart's types. */
import { runCases } from "./suite";
import { stalwartCases } from "./stalwart.cases";

runCases(stalwartCases);
