/** The provider contract (suite.ts) for the Object Storage bucket. */
import { s3Cases } from "./s3.cases";
import { runCases } from "./suite";

runCases(s3Cases);
