// Command pulumi-language-nodejs is this repository's own Node.js language host for the Pulumi
// CLI that tools/build.sh builds from the Go module proxy.
//
// Why it exists: the upstream host is its own Go module
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3), and the module proxy
// reachable here refuses it (403 "not available" for every version), while the CLI
// (github.com/pulumi/pulumi/pkg/v3) and the SDK (github.com/pulumi/pulumi/sdk/v3) are served.
// The host's job is small: serve the LanguageRuntime gRPC service and start Node on the
// programs and plugins that @pulumi/pulumi already ships (cmd/run, cmd/run-policy-pack,
// cmd/run-plugin). Everything it speaks comes from the pinned sdk/v3 (proto, rpcutil,
// PolicyProxy). It is written for this project's tests and documents what it leaves out
// (see host.go).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

func main() {
	flags := flag.NewFlagSet("pulumi-language-nodejs", flag.ContinueOnError)
	tracing := flags.String("tracing", "", "Zipkin endpoint, passed on to the program")
	showVersion := flags.Bool("version", false, "print the version and exit")
	// Flags the engine may pass to every plugin (sdk/go/common/resource/plugin/plugin.go,
	// buildPluginArguments); accepted and ignored.
	flags.Bool("logtostderr", false, "ignored")
	flags.Int("v", 0, "ignored")
	flags.Bool("logflow", false, "ignored")
	flags.String("runtime", "nodejs", "only nodejs is supported")
	if err := flags.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if *showVersion {
		fmt.Println(sdkVersion())
		return
	}

	// The engine passes its own address last (langruntime_plugin.go, buildArgsForNewPlugin).
	engineAddress := flags.Arg(flags.NArg() - 1)
	if flags.NArg() == 0 {
		engineAddress = ""
	}

	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	if engineAddress != "" {
		// Exit when the engine goes away instead of lingering as an orphan.
		if err := rpcutil.Healthcheck(ctx, engineAddress, 5*time.Minute, cancel); err != nil {
			fail("could not start the engine health check: %v", err)
		}
	}
	stop := make(chan bool)
	go func() {
		<-ctx.Done()
		close(stop)
	}()

	host := newHost(engineAddress, *tracing)
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stop,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fail("could not start the language host gRPC server: %v", err)
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fail("language host stopped serving: %v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: "+format+"\n", args...)
	os.Exit(1)
}
