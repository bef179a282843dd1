package main

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"strconv"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// RunPlugin starts a plugin written in Node. The engine uses it for policy packs
// (PulumiPolicy.yaml with runtime nodejs, kind "analyzer"): the pack runs under
// `@pulumi/pulumi/cmd/run-policy-pack <engine> <pack dir>`, which loads @pulumi/policy's
// PolicyPack and prints its port. The pinned SDK's PolicyProxy answers the engine's
// Handshake/ConfigureStack first and hands the stack configuration to the pack through the
// environment variables @pulumi/policy reads (PULUMI_NODEJS_STACK, PULUMI_CONFIG, ...).
// Other kinds run `@pulumi/pulumi/cmd/run-plugin <dir> <args>`.
func (h *host) RunPlugin(
	req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer,
) error {
	ctx := server.Context()
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	node, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("could not find node on the PATH: %w", err)
	}
	dir := req.GetInfo().GetProgramDirectory()
	opts, err := parseOptions(req.GetInfo().GetOptions())
	if err != nil {
		return err
	}
	env := opts.env(req.GetEnv())
	analyzer := req.GetKind() == "analyzer"

	module := "@pulumi/pulumi/cmd/run-plugin"
	if analyzer {
		module = "@pulumi/pulumi/cmd/run-policy-pack"
	}
	runPath, err := resolveModule(ctx, node, dir, module)
	if err != nil {
		return err
	}
	args := append([]string{runPath}, opts.nodeargs...)
	if analyzer {
		args = append(append(args, req.GetArgs()...), dir)
	} else {
		args = append(append(args, dir), req.GetArgs()...)
	}

	var proxy *sdk.PolicyProxy
	if analyzer {
		proxy, stdout, err = sdk.NewPolicyProxy(ctx, stdout)
		if err != nil {
			return fmt.Errorf("could not start the policy pack proxy: %w", err)
		}
		config, err := proxy.AwaitConfiguration(ctx)
		if err != nil {
			return fmt.Errorf("could not get the stack configuration for the policy pack: %w", err)
		}
		env, err = policyEnv(env, config)
		if err != nil {
			return err
		}
	}

	cmd := nodeCommand(ctx, node, args)
	cmd.Dir = req.GetPwd()
	if analyzer {
		// Policy packs have always run from their own directory.
		cmd.Dir = dir
	}
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = stdout, stderr

	if err := cmd.Start(); err != nil {
		if proxy != nil {
			proxy.Abort(err)
		}
		return fmt.Errorf("could not start node for plugin %s: %w", req.GetName(), err)
	}
	if proxy != nil {
		err = proxy.Attach(ctx, cmd)
	} else {
		err = cmd.Wait()
	}
	if code := exitCode(err); code > 0 {
		return fmt.Errorf("plugin %s exited with non-zero exit code: %d", req.GetName(), code)
	}
	if err != nil {
		return err
	}
	return closer.Close()
}

// policyEnv adds the stack facts @pulumi/policy reads when the pack starts.
func policyEnv(env []string, config *pulumirpc.AnalyzerStackConfigureRequest) ([]string, error) {
	if config == nil {
		return env, nil
	}
	add := func(key, value string) {
		if value != "" {
			env = append(env, key+"="+value)
		}
	}
	add("PULUMI_NODEJS_ORGANIZATION", config.GetOrganization())
	add("PULUMI_NODEJS_PROJECT", config.GetProject())
	add("PULUMI_NODEJS_STACK", config.GetStack())
	add("PULUMI_NODEJS_DRY_RUN", strconv.FormatBool(config.GetDryRun()))
	if config.GetConfig() != nil {
		data, err := json.Marshal(config.GetConfig())
		if err != nil {
			return nil, fmt.Errorf("could not serialize the policy pack's stack configuration: %w", err)
		}
		add("PULUMI_CONFIG", string(data))
	}
	return env, nil
}
