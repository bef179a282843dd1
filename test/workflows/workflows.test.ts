/**
 * The GitHub workflows can't run here, so this test parses every workflow and checks the
 * facts the PR flow depends on (docs/pr-flow.md): who gets secrets, what is pinned, which
 * command runs where, and how deploys are ordered and serialized.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { STACKS } from "../../stacks/environments";

const ROOT = path.resolve(__dirname, "../..");
const DIR = path.join(ROOT, ".github/workflows");

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  environment?: string | { name: string };
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  permissions?: Record<string, string>;
  strategy?: { "fail-fast"?: boolean; matrix?: Record<string, unknown> };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  env?: Record<string, string>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

function load(name: string): Workflow {
  return parse(fs.readFileSync(path.join(DIR, name), "utf8")) as Workflow;
}
const needsOf = (job: Job) => (Array.isArray(job.needs) ? job.needs : job.needs ? [job.needs] : []);
const pulumiSteps = (job: Job) => job.steps.filter((s) => s.uses?.startsWith("pulumi/actions@"));
/** Resolves `${{ env.X }}` against the workflow env, as Actions does. */
const resolve = (wf: Workflow, value: unknown) =>
  String(value).replace(/\$\{\{\s*env\.(\w+)\s*\}\}/g, (_, k: string) => wf.env?.[k] ?? "");
const SAME_REPO = "github.event.pull_request.head.repo.full_name == github.repository";

function expectBackendUrl(url: string) {
  expect(url).toMatch(/^s3:\/\/[a-z0-9-]+\?/);
  const query = new URLSearchParams(url.split("?")[1]);
  expect(query.get("endpoint")).toMatch(/^(fsn1|nbg1|hel1)\.your-objectstorage\.com$/);
  expect(query.get("s3ForcePathStyle")).toBe("true");
  expect(query.get("region")).toBe(query.get("endpoint")!.split(".")[0]);
}

describe("every workflow", () => {
  const files = fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));
  it("has the preview, deploy and drift workflows", () => {
    expect(files).toEqual(
      expect.arrayContaining(["ci.yml", "preview.yml", "deploy.yml", "drift.yml"]),
    );
  });

  it.each(files)("%s pins every action to a release and runs only existing npm scripts", (file) => {
    const wf = load(file);
    const scripts = Object.keys(
      (
        JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
          scripts: Record<string, string>;
        }
      ).scripts,
    );
    for (const job of Object.values(wf.jobs)) {
      for (const step of job.steps) {
        if (step.uses)
          expect(step.uses, `${file}: ${step.uses}`).toMatch(/^[\w.-]+\/[\w.-]+@v\d+(\.\d+)*$/);
        for (const m of step.run?.matchAll(/npm run (?:-s )?([\w:-]+)/g) ?? [])
          expect(scripts, file).toContain(m[1]);
      }
    }
  });

  it.each(files.filter((f) => f !== "ci.yml"))(
    "%s gives the passphrase only from secrets and the backend URL explicitly",
    (file) => {
      const wf = load(file);
      const steps = Object.values(wf.jobs).flatMap(pulumiSteps);
      expect(steps.length).toBeGreaterThan(0);
      for (const step of steps) {
        expect(step.env?.PULUMI_CONFIG_PASSPHRASE).toBe("${{ secrets.PULUMI_CONFIG_PASSPHRASE }}");
        expectBackendUrl(resolve(wf, step.with?.["cloud-url"]));
        expect(step.with?.policyPacks).toBe("policies");
        expect(fs.existsSync(path.join(ROOT, "policies", "PulumiPolicy.yaml"))).toBe(true);
      }
    },
  );
});

describe("preview.yml", () => {
  const wf = load("preview.yml");

  it("runs on pull requests and finds the affected stacks", () => {
    expect(wf.on).toHaveProperty("pull_request");
    const changes = wf.jobs.changes;
    expect(changes.steps.some((s) => s.run?.includes("npm run -s affected-stacks"))).toBe(true);
  });

  it("posts the offline plan as one sticky comment per stack, without secrets (forks too)", () => {
    const job = wf.jobs["offline-plan"];
    expect(JSON.stringify(job)).not.toContain("secrets.");
    expect(job.if ?? "").not.toContain("head.repo.full_name");
    expect(job.strategy?.matrix?.stack).toBe("${{ fromJSON(needs.changes.outputs.stacks) }}");
    expect(job.permissions?.["pull-requests"]).toBe("write");
    const plan = job.steps.find((s) => s.run?.includes("npm run -s plan"));
    expect(plan?.run).toMatch(/--stack "\$STACK" --base "\$BASE_SHA" --format markdown/);
    const comment = job.steps.find((s) =>
      s.uses?.startsWith("marocchino/sticky-pull-request-comment@"),
    );
    expect(comment?.with?.header).toBe("dezky-plan-${{ matrix.stack }}");
    expect(comment?.with?.path).toBe("plan.md");
    expect(comment?.if).toBe(SAME_REPO);
    // Exit code 3 (destructive in production) blocks the PR until a reviewer labels it.
    expect(
      job.steps.some(
        (s) => s.if?.includes("exit == '3'") && s.if.includes("destructive-change-approved"),
      ),
    ).toBe(true);
  });

  it("runs the real preview with diff and policies for same-repo PRs only, read-only token", () => {
    const job = wf.jobs.preview;
    expect(job.if).toContain(SAME_REPO);
    expect(job.environment).toBe("preview-${{ matrix.stack }}");
    const [step] = pulumiSteps(job);
    expect(step.uses).toMatch(/^pulumi\/actions@v[67]$/);
    expect(step.with).toMatchObject({
      command: "preview",
      diff: true,
      "comment-on-pr": true,
      "stack-name": "${{ matrix.stack }}",
    });
    expect(step.env?.HCLOUD_TOKEN).toBe("${{ secrets.HCLOUD_TOKEN_READONLY }}");
  });
});

describe("deploy.yml", () => {
  const wf = load("deploy.yml");

  it("runs pulumi up on push to main, promoting dev -> staging -> prod", () => {
    expect((wf.on.push as { branches: string[] }).branches).toEqual(["main"]);
    expect(needsOf(wf.jobs.staging)).toContain("dev");
    expect(needsOf(wf.jobs.prod)).toEqual(expect.arrayContaining(["dev", "staging"]));
    // A failed earlier stage stops promotion; a skipped one (not affected) does not.
    expect(wf.jobs.staging.if).toContain("needs.dev.result != 'failure'");
    expect(wf.jobs.prod.if).toContain("needs.staging.result != 'failure'");
  });

  it.each(STACKS)(
    "%s: own environment, serialized per stack, never cancelled, policies enforced",
    (stack) => {
      const job = wf.jobs[stack];
      expect(job.environment).toBe(stack);
      expect(job.concurrency).toEqual({ group: `pulumi-${stack}`, "cancel-in-progress": false });
      expect(job.if).toContain(`contains(fromJSON(needs.changes.outputs.stacks), '${stack}')`);
      const [step] = pulumiSteps(job);
      expect(step.uses).toMatch(/^pulumi\/actions@v[67]$/);
      expect(step.with).toMatchObject({
        command: "up",
        "stack-name": stack,
        policyPacks: "policies",
      });
      expect(step.env?.HCLOUD_TOKEN).toBe("${{ secrets.HCLOUD_TOKEN }}");
    },
  );
});

describe("drift.yml", () => {
  const wf = load("drift.yml");

  it("previews every stack nightly with refresh and expect-no-changes, failing loudly", () => {
    expect((wf.on.schedule as Array<{ cron: string }>)[0].cron).toMatch(/^\S+ \S+ \* \* \*$/);
    const job = wf.jobs.drift;
    expect(job.strategy?.matrix?.stack).toEqual(STACKS);
    expect(job.strategy?.["fail-fast"]).toBe(false);
    const [step] = pulumiSteps(job);
    expect(step.with).toMatchObject({
      command: "preview",
      refresh: true,
      "expect-no-changes": true,
    });
    expect(step.env?.HCLOUD_TOKEN).toBe("${{ secrets.HCLOUD_TOKEN_READONLY }}");
    const issue = job.steps.find((s) => s.uses?.startsWith("actions/github-script@"));
    expect(issue?.if).toBe("failure()");
  });
});
