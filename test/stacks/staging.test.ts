// One process per stack: Pulumi's mock runtime is process-global.
import { describeStack } from "./expectations";

describeStack("staging");
