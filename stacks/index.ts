// Composition root: Pulumi runs the exported async function and exports its result as the
// stack outputs. Everything else lives in ./program and components/.
import { program } from "./program";

export = () => program();
