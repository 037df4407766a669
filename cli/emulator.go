package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/cdstack/cdstack/cloud/emulator"
)

func emulatorCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "emulator",
		Usage: "run the local CDS cloud",
		Subcommands: []*ucli.Command{{
			Name:  "serve",
			Usage: "serve the CDS API on a loopback address until interrupted",
			Flags: []ucli.Flag{
				&ucli.StringFlag{Name: "addr", Value: "127.0.0.1:8765", Usage: "loopback address to listen on"},
				&ucli.StringFlag{Name: "data", Usage: "bbolt file that keeps the world across restarts (default: in memory)"},
				&ucli.StringSliceFlag{Name: "access-key", Usage: "ID:SECRET accepted by the cloud (repeatable; default: the local credentials)"},
				&ucli.DurationFlag{Name: "task-latency", Usage: "how long every task takes"},
				&ucli.DurationFlag{Name: "task-jitter", Usage: "extra random task time, up to this much"},
				&ucli.DurationFlag{Name: "latency", Usage: "delay before every answer"},
				&ucli.DurationFlag{Name: "latency-jitter", Usage: "extra random delay, up to this much"},
				&ucli.Float64Flag{Name: "fault-rate", Usage: "fraction of requests answered 503 (0–1)"},
				&ucli.Float64Flag{Name: "task-failure-rate", Usage: "fraction of tasks that end in ERROR (0–1)"},
				&ucli.BoolFlag{Name: "keep-failed-instances", Usage: "a failed CreateInstance leaves its instance listed as \"error\" instead of nothing"},
				&ucli.Float64Flag{Name: "throttle-qps", Usage: "answer 429 Throttling above this many requests a second (0: never)"},
				&ucli.IntFlag{Name: "max-vdcs", Value: 100, Usage: "VDC quota"},
				&ucli.BoolFlag{Name: "arrears", Usage: "refuse every purchase for lack of balance"},
				&ucli.BoolFlag{Name: "legacy-security-groups", Usage: "also serve the old *SecurityGroup* actions the current service has disabled (for the 2024 SDK)"},
				&ucli.Float64Flag{Name: "balance", Value: 10000, Usage: "the account's balance DescribeAccountInfo reports"},
				&ucli.Uint64Flag{Name: "seed", Usage: "seed for ids and injected faults (0: random)"},
				&ucli.StringFlag{Name: "tls-proxy", Usage: "also accept HTTPS CONNECT for the real API hosts on this loopback address"},
				&ucli.StringFlag{Name: "ca-out", Usage: "with --tls-proxy: write the proxy's CA certificate (PEM) here"},
			},
			Action: runEmulatorServe,
		}},
	}
}

func runEmulatorServe(c *ucli.Context) error {
	for _, name := range []string{"fault-rate", "task-failure-rate"} {
		if v := c.Float64(name); v < 0 || v > 1 {
			return fmt.Errorf("emulator serve: --%s %v: want a fraction from 0 to 1", name, v)
		}
	}
	if c.IsSet("tls-proxy") != c.IsSet("ca-out") {
		return errors.New("emulator serve: --tls-proxy and --ca-out go together (clients must trust the proxy's CA)")
	}
	keys := map[string]string{}
	for _, kv := range c.StringSlice("access-key") {
		id, secret, ok := strings.Cut(kv, ":")
		if !ok || id == "" || secret == "" {
			return fmt.Errorf("emulator serve: --access-key %q: want ID:SECRET", strings.SplitN(kv, ":", 2)[0]+":…")
		}
		keys[id] = secret
	}
	local := len(keys) == 0
	if local {
		keys[emulator.LocalAccessKeyID] = emulator.LocalAccessKeySecret
	}
	opts := emulator.Options{
		AccessKeys: keys, Seed: c.Uint64("seed"),
		TaskLatency: c.Duration("task-latency"), TaskJitter: c.Duration("task-jitter"),
		Latency: c.Duration("latency"), LatencyJitter: c.Duration("latency-jitter"),
		FaultRate: c.Float64("fault-rate"), TaskFailureRate: c.Float64("task-failure-rate"), KeepFailedInstances: c.Bool("keep-failed-instances"),
		ThrottleQPS: c.Float64("throttle-qps"), MaxVDCs: c.Int("max-vdcs"), Arrears: c.Bool("arrears"), Balance: c.Float64("balance"),
		LegacySecurityGroups: c.Bool("legacy-security-groups"),
	}
	if path := c.String("data"); path != "" {
		st, err := emulator.OpenStore(path)
		if err != nil {
			return fmt.Errorf("emulator serve: %w", err)
		}
		opts.Store = st
	}
	srv, err := emulator.New(opts)
	if err != nil {
		return fmt.Errorf("emulator serve: %w", err)
	}
	run, err := emulator.Listen(c.String("addr"), srv)
	if err != nil {
		srv.Close()
		return fmt.Errorf("emulator serve: %w", err)
	}
	defer run.Close()
	out := c.App.Writer
	fmt.Fprintf(out, "cdstack local cloud serving the CDS API at %s\n", run.URL)
	if local {
		fmt.Fprintf(out, "export CDS_ENDPOINT=%s CDS_SECRET_ID=%s CDS_SECRET_KEY=%s\n", run.URL, emulator.LocalAccessKeyID, emulator.LocalAccessKeySecret)
	} else {
		fmt.Fprintf(out, "export CDS_ENDPOINT=%s  # with the credentials given to --access-key\n", run.URL)
	}
	if addr := c.String("tls-proxy"); addr != "" {
		proxy, err := emulator.NewTLSProxy(srv)
		if err != nil {
			return fmt.Errorf("emulator serve: tls proxy: %w", err)
		}
		if err := os.WriteFile(c.String("ca-out"), proxy.CAPEM, 0o644); err != nil {
			return fmt.Errorf("emulator serve: --ca-out: %w", err)
		}
		got, err := proxy.Listen(addr)
		if err != nil {
			return fmt.Errorf("emulator serve: %w", err)
		}
		defer proxy.Close()
		fmt.Fprintf(out, "TLS proxy for %s at %s\n", strings.Join(emulator.ProxyHosts, ", "), got)
		fmt.Fprintf(out, "export HTTPS_PROXY=http://%s SSL_CERT_FILE=%s\n", got, c.String("ca-out"))
	}
	<-c.Context.Done()
	fmt.Fprintln(out, "cdstack local cloud stopped")
	return nil
}
