package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/structpb"
)

// Exit code with which @pulumi/pulumi's cmd/run says "the user already saw an actionable
// message" (sdk/nodejs/cmd/run/index.ts); the engine then bails without another error.
const exitAfterUserMessage = 32

// nodeOptions are the Pulumi.yaml `runtime.options` this host honours.
type nodeOptions struct {
	typescript bool
	tsconfig   string
	nodeargs   []string
}

func parseOptions(options *structpb.Struct) (nodeOptions, error) {
	opts := nodeOptions{typescript: true}
	if options == nil {
		return opts, nil
	}
	for key, value := range options.AsMap() {
		switch key {
		case "typescript":
			b, ok := value.(bool)
			if !ok {
				return opts, fmt.Errorf("runtime option typescript must be a boolean, got %v", value)
			}
			opts.typescript = b
		case "tsconfig":
			opts.tsconfig = fmt.Sprint(value)
		case "nodeargs":
			// Plain whitespace splitting: quoted arguments are not supported here.
			opts.nodeargs = strings.Fields(fmt.Sprint(value))
		case "packagemanager":
			// Only matters for installing dependencies, which this host does not do.
		default:
			return opts, fmt.Errorf("runtime option %q is not supported by this language host", key)
		}
	}
	return opts, nil
}

// env adds what @pulumi/pulumi's cmd/run reads to decide how to load TypeScript.
func (o nodeOptions) env(base []string) []string {
	env := append([]string{}, base...)
	if o.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if o.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+o.tsconfig)
	}
	return env
}

// resolveModule finds a module of @pulumi/pulumi the way Node would from dir, so the program
// runs with the SDK version it depends on.
func resolveModule(ctx context.Context, node, dir, module string) (string, error) {
	script := "process.stdout.write(require.resolve(process.argv[1], { paths: [process.cwd()] }))"
	cmd := exec.CommandContext(ctx, node, "-e", script, module)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf(
			"cannot find %s from %s (run npm ci there): %v %s", module, dir, err, stderr.String())
	}
	return string(out), nil
}

// nodeCommand builds a Node process that is interrupted (then killed) when ctx ends.
func nodeCommand(ctx context.Context, node string, args []string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Cancel = func() error {
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			return cmd.Process.Kill()
		}
		return nil
	}
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// exitCode is the exit status of a finished command, or -1 when it did not run.
func exitCode(err error) int {
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode()
	}
	return -1
}
