/** The provider contract (suite.ts) for the Robot webservice's types. */
import { robotCases } from "./robot.cases";
import { runCases } from "./suite";

runCases(robotCases);
