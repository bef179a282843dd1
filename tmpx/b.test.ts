import { it, expect } from "vitest";
import { load } from "./b";
it("req", () => { expect(load()).toEqual({ v: 42 }); });
