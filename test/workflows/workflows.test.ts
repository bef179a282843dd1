/**
 * The GitHub workflows can't run here, so these tests read them as data and check the facts
 * the PR flow depends on (docs/pr-flow.md): one shared definition of "run Pulumi for a stack",
 * who gets which secrets, what runs before `pulumi up`/preview, what is pinned, and Node 24.
 * actionlint (.ci/actionlint.sh, in .ci/run) checks the syntax and expressions.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  type Job,
  loadWorkflow,
  REUSABLE,
  ROOT,
  stackJobs,
  stepsOf,
  type Workflow,
  workflowFiles,
} from "./load";

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
  engines: { node: string };
  dependencies: Record<string, string>;
};
/**
 * npm scripts the workflows call that parallel work adds (pins:check: platform pins checker;
 * retention:check: validation). Remove a name here once its script is in package.json.
 */
const SAME_REPO = "github.event.pull_request.head.repo.full_name == github.repository";

function expectBackendUrl(url: string) {
  expect(url).toMatch(/^s3:\/\/[a-z0-9-]+\?/);
  const query = new URLSearchParams(url.split("?")[1]);
  expect(query.get("endpoint")).toMatch(/^(fsn1|nbg1|hel1)\.your-objectstorage\.com$/);
  expect(query.get("s3ForcePathStyle")).toBe("true");
  expect(query.get("region")).toBe(query.get("endpoint")!.split(".")[0]);
}

describe("every workflow", () => {
  const files = workflowFiles();

  it("has ci, preview, deploy, drift and the shared pulumi-stack workflow", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "ci.yml",
        "preview.yml",
        "deploy.yml",
        "drift.yml",
        "pulumi-stack.yml",
      ]),
    );
  });

  it.each(files)("%s pins every action to a release and runs only existing npm scripts", (file) => {
    const wf = loadWorkflow(file);
    for (const job of Object.values(wf.jobs)) {
      if (job.uses) expect(job.uses).toBe(REUSABLE);
      for (const step of stepsOf(job)) {
        if (step.uses)
          expect(step.uses, `${file}: ${step.uses}`).toMatch(/^[\w.-]+\/[\w.-]+@v\d+(\.\d+)*$/);
        for (const m of step.run?.matchAll(/npm run (?:-s )?([\w:-]+)/g) ?? [])
          expect(Object.keys(pkg.scripts), file).toContain(m[1]);
      }
    }
  });

  it.each(files)(
    "%s takes Node from .nvmrc (Node 24) and never runs PR code as pull_request_target",
    (file) => {
      const wf = loadWorkflow(file);
      expect(wf.on).not.toHaveProperty("pull_request_target");
      expect(wf.on).not.toHaveProperty("workflow_run");
      for (const step of Object.values(wf.jobs).flatMap(stepsOf)) {
        if (step.uses?.startsWith("actions/setup-node@")) {
          expect(step.with).toMatchObject({ "node-version-file": ".nvmrc" });
          expect(step.with).not.toHaveProperty("node-version");
        }
      }
    },
  );

  it("Node 24 LTS: .nvmrc, engines and the README agree", () => {
    const nvmrc = fs.readFileSync(path.join(ROOT, ".nvmrc"), "utf8").trim();
    expect(nvmrc).toMatch(/^24\.\d+\.\d+$/);
    expect(pkg.engines.node).toBe(">=24.15.0 <25");
    expect(fs.readFileSync(path.join(ROOT, "README.md"), "utf8")).toContain(`Node ${nvmrc}`);
  });
});

describe("pulumi-stack.yml: the one definition of running Pulumi for a stack", () => {
  const wf = loadWorkflow("pulumi-stack.yml");
  const [[, job]] = Object.entries(wf.jobs) as Array<[string, Job]>;
  const steps = stepsOf(job);
  const index = (pred: (s: (typeof steps)[number]) => boolean) => steps.findIndex(pred);
  const command = index((s) => s.uses?.startsWith("pulumi/actions@") === true && !!s.with?.command);
  const pulumi = steps[command];

  it("is a reusable workflow with one job, in the caller's environment, serialised per group", () => {
    expect(Object.keys(wf.on)).toEqual(["workflow_call"]);
    expect(Object.keys(wf.jobs)).toHaveLength(1);
    expect(job.environment).toBe("${{ inputs.environment }}");
    expect(job.concurrency).toEqual({
      group: "${{ inputs.concurrency-group }}",
      "cancel-in-progress": false,
    });
    // Permissions come from the caller's job; asking here would fail under a stricter caller.
    expect(job.permissions).toBeUndefined();
  });

  it("runs the command with diff and the policy pack, against the explicit backend", () => {
    expect(pulumi.uses).toBe("pulumi/actions@v7");
    expect(pulumi.with).toMatchObject({
      command: "${{ inputs.command }}",
      "stack-name": "${{ inputs.stack }}",
      diff: true,
      policyPacks: "policies",
      refresh: "${{ inputs.refresh }}",
      "expect-no-changes": "${{ inputs.expect-no-changes }}",
    });
    expect(pulumi.with?.["cloud-url"]).toBe("${{ env.PULUMI_BACKEND_URL }}");
    expectBackendUrl(job.env!.PULUMI_BACKEND_URL);
    expect(fs.existsSync(path.join(ROOT, "policies", "PulumiPolicy.yaml"))).toBe(true);
  });

  it("gives the passphrase from secrets and the read-write Hetzner token to `up` only", () => {
    expect(pulumi.env?.PULUMI_CONFIG_PASSPHRASE).toBe("${{ secrets.PULUMI_CONFIG_PASSPHRASE }}");
    expect(pulumi.env?.HCLOUD_TOKEN).toBe(
      "${{ inputs.command == 'up' && secrets.HCLOUD_TOKEN || secrets.HCLOUD_TOKEN_READONLY }}",
    );
    // Secrets only in the steps that need them: npm ci, install scripts and the pins check
    // see none; the history step gets the state key only.
    expect(JSON.stringify(job.env)).not.toContain("secrets.");
    const secretsOutsidePulumi = steps
      .filter((s) => s !== pulumi)
      .flatMap((s) => Object.entries(s.env ?? {}))
      .filter(([, v]) => v.includes("secrets."))
      .map(([k]) => k);
    expect(secretsOutsidePulumi).toEqual(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]);
  });

  it("installs the Pulumi CLI at the SDK's exact version", () => {
    const versions = steps.find((s) => s.id === "versions");
    expect(versions?.run).toContain(`require("./package.json").dependencies["@pulumi/pulumi"]`);
    expect(pkg.dependencies["@pulumi/pulumi"]).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pulumi.with?.["pulumi-version"]).toBe("${{ steps.versions.outputs.pulumi }}");
  });

  it("checks the pins before any Pulumi command", () => {
    const pins = index((s) => s.run === "npm run pins:check");
    expect(pins).toBeGreaterThan(index((s) => s.run?.startsWith("npm ci") === true));
    expect(pins).toBeLessThan(command);
    expect(steps[pins].if).toBeUndefined();
  });

  it("runs the retention check against the last deployed commit before the command", () => {
    const last = steps.find((s) => s.id === "last-deployed")!;
    // Every run finds the base: previews and drift must lift protection exactly as the deploy does.
    expect(last.if).toBeUndefined();
    expect(steps[command].env?.DEZKY_RETENTION_BASE).toBe(
      "${{ steps.last-deployed.outputs.base }}",
    );
    expect(last.run).toContain(
      'pulumi stack history --stack "$STACK" --json --page-size 100 | npm run -s last-deployed',
    );
    const check = index((s) => s.run?.includes("npm run retention:check") === true);
    expect(steps[check].run).toContain('npm run retention:check -- --base "$BASE"');
    expect(steps[check].env?.BASE).toBe("${{ steps.last-deployed.outputs.base }}");
    expect(check).toBeGreaterThan(steps.indexOf(last));
    expect(check).toBeLessThan(command);
    expect(steps.indexOf(last)).toBeGreaterThan(
      index((s) => s.uses === "pulumi/actions@v7" && !s.with?.command),
    );
  });

  it("checks out with full history and without leaving the token for the program", () => {
    const checkout = steps.find((s) => s.uses?.startsWith("actions/checkout@"));
    expect(checkout?.with).toMatchObject({ "fetch-depth": 0, "persist-credentials": false });
  });
});

describe("deploy.yml", () => {
  const wf = loadWorkflow("deploy.yml");
  const jobs = stackJobs(wf);

  it("has one job definition (pulumi-stack.yml) used by every wave, all `up`", () => {
    expect(jobs.map(([name]) => name)).toEqual(["dev", "staging", "canary", "cells"]);
    for (const [, job] of jobs) {
      expect(job.with).toMatchObject({ command: "up", "retention-check": true });
      expect(job.with?.["concurrency-group"]).toBe("pulumi-${{ matrix.stack }}");
      expect(job.secrets).toBe("inherit");
      expect(job.steps).toBeUndefined();
    }
  });

  it("gates every production cell with the prod environment", () => {
    expect(wf.jobs.canary.with?.environment).toBe("prod");
    expect(wf.jobs.cells.with?.environment).toBe("prod");
    expect(wf.jobs.dev.with?.environment).toBe("${{ matrix.stack }}");
  });

  it("deploys the other cells in parallel with a bound, each failure its own", () => {
    const strategy = wf.jobs.cells.strategy!;
    expect(strategy["max-parallel"]).toBeGreaterThanOrEqual(1);
    expect(strategy["max-parallel"]).toBeLessThanOrEqual(5);
    expect(strategy["fail-fast"]).toBe(false);
  });

  it("runs on push to main and by hand", () => {
    expect((wf.on.push as { branches: string[] }).branches).toEqual(["main"]);
    expect(wf.on).toHaveProperty("workflow_dispatch");
  });
});

describe("preview.yml", () => {
  const wf = loadWorkflow("preview.yml");

  it("posts the offline plan as one sticky comment per stack, without secrets (forks too)", () => {
    const job = wf.jobs["offline-plan"];
    expect(JSON.stringify(job)).not.toContain("secrets.");
    expect(job.if ?? "").not.toContain("head.repo.full_name");
    expect(job.environment).toBeUndefined();
    expect(job.strategy?.matrix?.stack).toBe("${{ fromJSON(needs.changes.outputs.stacks) }}");
    expect(job.permissions?.["pull-requests"]).toBe("write");
    const plan = stepsOf(job).find((s) => s.run?.includes("npm run -s plan"));
    expect(plan?.run).toMatch(/--stack "\$STACK" --base "\$BASE_SHA" --format markdown/);
    const comment = stepsOf(job).find((s) =>
      s.uses?.startsWith("marocchino/sticky-pull-request-comment@"),
    );
    expect(comment?.with?.header).toBe("dezky-plan-${{ matrix.stack }}");
    expect(comment?.with?.path).toBe("plan.md");
    expect(comment?.if).toBe(SAME_REPO);
    expect(
      stepsOf(job).some(
        (s) => s.if?.includes("exit == '3'") && s.if.includes("destructive-change-approved"),
      ),
    ).toBe(true);
  });

  it("runs the real previews for same-repo PRs only, through pulumi-stack.yml", () => {
    const jobs = stackJobs(wf);
    expect(jobs.map(([n]) => n)).toEqual(["preview", "preview-production"]);
    for (const [, job] of jobs) {
      expect(job.if).toContain(SAME_REPO);
      expect(job.with).toMatchObject({
        command: "preview",
        "comment-on-pr": true,
        "retention-check": true,
      });
      expect(job.with?.refresh).toBeUndefined();
    }
  });

  it("production previews wait for a reviewer (preview-prod); dev and staging do not", () => {
    expect(wf.jobs["preview-production"].with?.environment).toBe("preview-prod");
    expect(wf.jobs["preview-production"].strategy?.matrix?.stack).toBe(
      "${{ fromJSON(needs.changes.outputs.production) }}",
    );
    expect(wf.jobs.preview.with?.environment).toBe("preview-${{ matrix.stack }}");
    expect(wf.jobs.preview.strategy?.matrix?.stack).toBe(
      "${{ fromJSON(needs.changes.outputs.preprod) }}",
    );
  });
});

describe("drift.yml", () => {
  const wf: Workflow = loadWorkflow("drift.yml");

  it("previews every stack nightly with refresh and expect-no-changes, opening an issue", () => {
    expect((wf.on.schedule as Array<{ cron: string }>)[0].cron).toMatch(/^\S+ \S+ \* \* \*$/);
    const jobs = stackJobs(wf);
    expect(jobs.map(([n]) => n)).toEqual(["drift", "drift-production"]);
    for (const [, job] of jobs) {
      expect(job.with).toMatchObject({
        command: "preview",
        refresh: true,
        "expect-no-changes": true,
        "drift-issue": true,
      });
      expect(job.permissions?.issues).toBe("write");
      expect(job.strategy?.["fail-fast"]).toBe(false);
      // Never the deploy group: a pending drift run must not cancel a pending deploy.
      expect(job.with?.["concurrency-group"]).toBe("drift-${{ matrix.stack }}");
    }
    expect(wf.jobs["drift-production"].with?.environment).toBe("drift-prod");
  });
});

describe("ci.yml and .ci/run", () => {
  const run = fs.readFileSync(path.join(ROOT, ".ci/run"), "utf8");

  it("CI runs .ci/run, which puts Node 24 first, lints the workflows and runs npm test", () => {
    const ci = loadWorkflow("ci.yml");
    expect(stepsOf(ci.jobs.test).some((s) => s.run === "bash .ci/run")).toBe(true);
    const order = [
      "source .ci/node.sh",
      "npm ci",
      "npm run lint",
      "bash .ci/actionlint.sh",
      "npm run typecheck",
      "npm test",
    ];
    // The line that runs each command (not a comment; `npm test` may run under sudo).
    const lines = run.split("\n");
    const at = order.map((cmd) =>
      lines.findIndex(
        (l) => !l.trimStart().startsWith("#") && new RegExp(`(^|\\s)${cmd}\\b`).test(l),
      ),
    );
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it("builds actionlint from its Go module at a pinned version", () => {
    const lint = fs.readFileSync(path.join(ROOT, ".ci/actionlint.sh"), "utf8");
    expect(lint).toMatch(/^ACTIONLINT_VERSION=v\d+\.\d+\.\d+$/m);
    expect(lint).toContain(
      'go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"',
    );
  });
});
