package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Run starts `node @pulumi/pulumi/cmd/run` on the program, with the arguments and environment
// that module reads (its index.ts and run.ts at the pinned @pulumi/pulumi version), and waits.
func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	failed := func(format string, args ...any) (*pulumirpc.RunResponse, error) {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf(format, args...)}, nil
	}
	info := req.GetInfo()
	programDir := info.GetProgramDirectory()
	if programDir == "" {
		programDir = req.GetPwd()
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return failed("could not find node on the PATH: %v", err)
	}
	opts, err := parseOptions(info.GetOptions())
	if err != nil {
		return failed("%v", err)
	}
	runPath, err := resolveModule(ctx, node, programDir, "@pulumi/pulumi/cmd/run")
	if err != nil {
		return failed("%v", err)
	}
	config, err := json.Marshal(req.GetConfig())
	if err != nil {
		return failed("could not serialize the stack configuration: %v", err)
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return failed("could not serialize the secret configuration keys: %v", err)
	}

	args := append(append([]string{}, opts.nodeargs...), runPath)
	flag := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flag("monitor", req.GetMonitorAddress())
	flag("engine", h.engine())
	flag("organization", req.GetOrganization())
	flag("project", req.GetProject())
	flag("root-directory", info.GetRootDirectory())
	flag("stack", req.GetStack())
	flag("pwd", programDir)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	flag("parallel", strconv.Itoa(int(req.GetParallel())))
	flag("tracing", h.tracing)
	entry := info.GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	// Stop Node when the engine cancels (Cancel) or the call ends.
	runCtx, cancel := context.WithCancel(h.cancelCtx)
	defer cancel()
	defer context.AfterFunc(ctx, cancel)()

	cmd := nodeCommand(runCtx, node, args)
	cmd.Dir = programDir
	cmd.Env = opts.env(append(os.Environ(),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON),
	))
	// Not the raw files: Node may switch an inherited descriptor to non-blocking mode.
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}

	err = cmd.Run()
	switch code := exitCode(err); {
	case err == nil:
		return &pulumirpc.RunResponse{}, nil
	case code == exitAfterUserMessage:
		return &pulumirpc.RunResponse{Bail: true}, nil
	case code >= 0:
		return failed("Program exited with non-zero exit code: %d", code)
	default:
		return failed("could not run the program with node: %v", err)
	}
}
