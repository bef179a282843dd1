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
	programDir := programDirOf(req)
	node, err := exec.LookPath("node")
	if err != nil {
		return failed("could not find node on the PATH: %v", err)
	}
	opts, err := parseOptions(req.GetInfo().GetOptions())
	if err != nil {
		return failed("%v", err)
	}
	runPath, err := resolveModule(ctx, node, programDir, "@pulumi/pulumi/cmd/run")
	if err != nil {
		return failed("%v", err)
	}
	env, err := runEnv(req, opts)
	if err != nil {
		return failed("%v", err)
	}
	args := runArgs(req, runPath, h.engine(), h.tracing, opts.nodeargs)

	// Stop Node when the engine cancels (Cancel) or the call ends.
	runCtx, cancel := context.WithCancel(h.cancelCtx)
	defer cancel()
	defer context.AfterFunc(ctx, cancel)()

	cmd := nodeCommand(runCtx, node, args)
	cmd.Dir = programDir
	cmd.Env = env
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

func programDirOf(req *pulumirpc.RunRequest) string {
	if dir := req.GetInfo().GetProgramDirectory(); dir != "" {
		return dir
	}
	return req.GetPwd()
}

// runEnv is the environment of the program: ours, plus the stack configuration as the JSON
// object cmd/run reads (keys "namespace:key"; @pulumi/pulumi's runtime/config.ts also accepts
// the old "namespace:config:key"), the secret keys, and the TypeScript switches.
func runEnv(req *pulumirpc.RunRequest, opts nodeOptions) ([]string, error) {
	values := req.GetConfig()
	if values == nil {
		values = map[string]string{} // "{}", not "null"
	}
	config, err := json.Marshal(values)
	if err != nil {
		return nil, fmt.Errorf("could not serialize the stack configuration: %w", err)
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, fmt.Errorf("could not serialize the secret configuration keys: %w", err)
	}
	return opts.env(append(os.Environ(),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON),
	)), nil
}

// runArgs is the command line of `node [nodeargs] <cmd/run> [flags] <entry point> [args]`.
func runArgs(req *pulumirpc.RunRequest, runPath, engine, tracing string, nodeargs []string) []string {
	args := append(append([]string{}, nodeargs...), runPath)
	flag := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flag("monitor", req.GetMonitorAddress())
	flag("engine", engine)
	flag("organization", req.GetOrganization())
	flag("project", req.GetProject())
	flag("root-directory", req.GetInfo().GetRootDirectory())
	flag("stack", req.GetStack())
	flag("pwd", programDirOf(req))
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	flag("parallel", strconv.Itoa(int(req.GetParallel())))
	flag("tracing", tracing)
	entry := req.GetInfo().GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	return append(append(args, entry), req.GetArgs()...)
}
