/** Schema pieces the resource types share (zod; messages name the value and the rule). */
import { z } from "zod";
import { isDnsName, slugProblem } from "../rules";

/** A tenant or department slug (rules.ts SLUG_WORDS). */
export function slugField(kind: string) {
  return z.string().superRefine((value, ctx) => {
    const problem = slugProblem(kind, value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

/** A lower-case DNS name; upper case and surrounding blanks are normalised first. */
export const dnsNameField = z.preprocess(
  (v) => (typeof v === "string" ? v.trim().toLowerCase() : v),
  z.string().refine(isDnsName, { message: "is not a lower-case DNS name such as dezky.eu" }),
);

/** An http(s) URL. */
export const urlField = z
  .string()
  .regex(/^https?:\/\/[^\s]+$/, "must be an http(s) URL such as https://auth.dezky.eu");

/** An ISO date (or date-time). */
export const isoDate = z.string().refine((v) => !Number.isNaN(Date.parse(v)), {
  message: "must be an ISO date such as 2027-06-30",
});
