package main

import (
	"context"
	"os/exec"
	"runtime/debug"
	"strings"
	"sync"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
)

// host serves the LanguageRuntime calls the engine makes for preview, up, refresh, destroy and
// policy packs. What it deliberately does not do, compared with the upstream host:
//   - GetRequiredPackages reports no provider plugins. Upstream lists every installed npm
//     package that declares a resource plugin (@pulumi/hcloud, ...), and the engine would then
//     try to download those plugins, which cannot work here. Dynamic providers need only the
//     bundled pulumi-nodejs plugin, which the engine never lists. A program that registers a
//     resource of another package still fails clearly: the engine finds no such plugin.
//   - No code generation, templates, dependency installation, debugger attach or bun runtime
//     (the embedded Unimplemented server answers those with codes.Unimplemented).
//   - No resource-monitor proxy and no synchronous-invoke pipes: Node talks to the engine's
//     monitor directly, as @pulumi/pulumi's own Automation API server lets it.
type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	mu            sync.Mutex
	engineAddress string
	tracing       string
	cancelCtx     context.Context
	cancel        context.CancelFunc
}

func newHost(engineAddress, tracing string) *host {
	ctx, cancel := context.WithCancel(context.Background())
	return &host{engineAddress: engineAddress, tracing: tracing, cancelCtx: ctx, cancel: cancel}
}

func (h *host) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

// sdkVersion is the version of github.com/pulumi/pulumi/sdk/v3 this host was built against.
func sdkVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == "github.com/pulumi/pulumi/sdk/v3" {
				return strings.TrimPrefix(dep.Version, "v")
			}
		}
	}
	return "0.0.0-dev"
}

func (h *host) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	h.engineAddress = req.GetEngineAddress()
	h.mu.Unlock()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: sdkVersion()}, nil
}

func (h *host) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *host) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *host) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *host) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	resp := &pulumirpc.AboutResponse{}
	if node, err := exec.LookPath("node"); err == nil {
		resp.Executable = node
		if out, err := exec.Command(node, "--version").Output(); err == nil {
			resp.Version = strings.TrimPrefix(strings.TrimSpace(string(out)), "v")
		}
	}
	return resp, nil
}

// Cancel interrupts every Node process this host started.
func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.cancel()
	return &emptypb.Empty{}, nil
}
