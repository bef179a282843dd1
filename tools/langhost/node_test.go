package main

import (
	"errors"
	"os/exec"
	"slices"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
)

func TestParseOptionsDefaultsToTypeScript(t *testing.T) {
	opts, err := parseOptions(nil)
	if err != nil || !opts.typescript || opts.tsconfig != "" || len(opts.nodeargs) != 0 {
		t.Fatalf("defaults: %+v, %v", opts, err)
	}
	env := opts.env([]string{"A=1"})
	if !slices.Equal(env, []string{"A=1", "PULUMI_NODEJS_TYPESCRIPT=true"}) {
		t.Fatalf("env: %v", env)
	}
}

func TestParseOptionsReadsPulumiYamlOptions(t *testing.T) {
	options, _ := structpb.NewStruct(map[string]any{
		"typescript":     false,
		"tsconfig":       "../tsconfig.json",
		"nodeargs":       "--max-old-space-size=4096  --no-warnings",
		"packagemanager": "npm",
	})
	opts, err := parseOptions(options)
	if err != nil {
		t.Fatal(err)
	}
	if opts.typescript || opts.tsconfig != "../tsconfig.json" ||
		!slices.Equal(opts.nodeargs, []string{"--max-old-space-size=4096", "--no-warnings"}) {
		t.Fatalf("options: %+v", opts)
	}
	if env := opts.env(nil); !slices.Equal(env, []string{"PULUMI_NODEJS_TSCONFIG_PATH=../tsconfig.json"}) {
		t.Fatalf("env: %v", env)
	}
}

func TestParseOptionsRejectsWhatItDoesNotSupport(t *testing.T) {
	for name, value := range map[string]any{"typescript": "yes", "bun": true} {
		options, _ := structpb.NewStruct(map[string]any{name: value})
		if _, err := parseOptions(options); err == nil {
			t.Errorf("%s=%v: expected an error", name, value)
		}
	}
}

func TestPolicyEnvCarriesTheStackFactsThePackReads(t *testing.T) {
	env, err := policyEnv([]string{"A=1"}, &pulumirpc.AnalyzerStackConfigureRequest{
		Stack:   "prod",
		Project: "dezky",
		DryRun:  true,
		Config:  map[string]string{"dezky:x": "1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"A=1", "PULUMI_NODEJS_PROJECT=dezky", "PULUMI_NODEJS_STACK=prod",
		"PULUMI_NODEJS_DRY_RUN=true", `PULUMI_CONFIG={"dezky:x":"1"}`,
	}
	if !slices.Equal(env, want) {
		t.Fatalf("env: %v", env)
	}
	if env, _ := policyEnv([]string{"A=1"}, nil); !slices.Equal(env, []string{"A=1"}) {
		t.Fatalf("nil config: %v", env)
	}
}

func TestExitCode(t *testing.T) {
	err := exec.Command("sh", "-c", "exit 32").Run()
	if exitCode(err) != exitAfterUserMessage {
		t.Fatalf("exit 32: %d", exitCode(err))
	}
	if exitCode(errors.New("not started")) != -1 {
		t.Fatal("an error without exit status is -1")
	}
}

func TestRunArgsFollowCmdRun(t *testing.T) {
	req := &pulumirpc.RunRequest{
		MonitorAddress: "127.0.0.1:1",
		Project:        "dezky",
		Stack:          "prod",
		DryRun:         true,
		Parallel:       16,
		Args:           []string{"extra"},
		Info:           &pulumirpc.ProgramInfo{ProgramDirectory: "/p", RootDirectory: "/p", EntryPoint: "index.ts"},
	}
	got := runArgs(req, "/run.js", "127.0.0.1:2", "", []string{"--no-warnings"})
	want := []string{
		"--no-warnings", "/run.js", "--monitor", "127.0.0.1:1", "--engine", "127.0.0.1:2",
		"--project", "dezky", "--root-directory", "/p", "--stack", "prod", "--pwd", "/p",
		"--dry-run", "--parallel", "16", "index.ts", "extra",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("args:\n got %v\nwant %v", got, want)
	}
	// No entry point means the program directory itself; an empty flag is left out.
	req.Info.EntryPoint, req.DryRun, req.Project = "", false, ""
	got = runArgs(req, "/run.js", "", "", nil)
	if slices.Contains(got, "--dry-run") || slices.Contains(got, "--project") ||
		slices.Contains(got, "--engine") || got[len(got)-2] != "." {
		t.Fatalf("args: %v", got)
	}
}

func TestRunEnvCarriesConfigAndSecretKeys(t *testing.T) {
	req := &pulumirpc.RunRequest{
		Config:           map[string]string{"engine:date": "2026-11-30"},
		ConfigSecretKeys: []string{"engine:token"},
	}
	env, err := runEnv(req, nodeOptions{typescript: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`PULUMI_CONFIG={"engine:date":"2026-11-30"}`,
		`PULUMI_CONFIG_SECRET_KEYS=["engine:token"]`,
		"PULUMI_NODEJS_TYPESCRIPT=true",
	} {
		if !slices.Contains(env, want) {
			t.Errorf("missing %s", want)
		}
	}
	env, _ = runEnv(&pulumirpc.RunRequest{}, nodeOptions{})
	if !slices.Contains(env, "PULUMI_CONFIG_SECRET_KEYS=[]") || !slices.Contains(env, "PULUMI_CONFIG={}") {
		t.Error("empty config must still be JSON")
	}
}
