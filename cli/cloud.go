package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/cloud/emulator"
)

// LocalEndpoint is the --endpoint value that starts the built-in local cloud.
const LocalEndpoint = "local"

// localCloudPath is where --endpoint local keeps its world.
func localCloudPath() string {
	if p := os.Getenv("CDSTACK_LOCAL_CLOUD"); p != "" {
		return p
	}
	return filepath.Join(".cdstack", "local-cloud.db")
}

// connect builds the API client from the global flags. With --endpoint local
// it first starts the local cloud in process; close stops it.
func connect(c *ucli.Context, opts ...cloud.Option) (client *cloud.Client, closeFn func(), err error) {
	endpoint := c.String(flagEndpoint)
	closeFn = func() {}
	var creds cloud.Credentials
	if endpoint == LocalEndpoint {
		latency, err := envDuration("CDSTACK_LOCAL_TASK_LATENCY")
		if err != nil {
			return nil, nil, err
		}
		path := localCloudPath()
		run, err := emulator.StartLocal(path, emulator.Options{TaskLatency: latency})
		if err != nil {
			return nil, nil, err
		}
		if run.Attached > 0 {
			fmt.Fprintf(c.App.ErrWriter, "cdstack: using the local cloud at %s (served by cdstack process %d, world in %s)\n", run.URL, run.Attached, path)
		} else {
			fmt.Fprintf(c.App.ErrWriter, "cdstack: using the local cloud at %s (world in %s)\n", run.URL, path)
		}
		endpoint = run.URL
		creds = cloud.Credentials{AccessKeyID: emulator.LocalAccessKeyID, AccessKeySecret: emulator.LocalAccessKeySecret, Source: "local cloud"}
		closeFn = func() { _ = run.Close() }
	} else {
		if _, err := cloud.ParseEndpoint(endpoint); err != nil {
			return nil, nil, fmt.Errorf("--endpoint: %w (or %q for the built-in local cloud)", err, LocalEndpoint)
		}
		if creds, err = cloud.LoadCredentials(os.Getenv); err != nil {
			return nil, nil, err
		}
	}
	base := []cloud.Option{
		cloud.WithTimeout(c.Duration(flagTimeout)),
		cloud.WithGiveUpAfter(c.Duration(flagOutage)),
		cloud.WithLimiter(cloud.NewLimiter(c.Float64(flagRateLimit), cloud.DefaultBurst(c.Float64(flagRateLimit)))),
	}
	if endpoint == cloud.DefaultEndpoint && !c.IsSet(flagEndpoint) {
		// No endpoint chosen: each request goes to the entry point of the
		// region it is for; --endpoint (or CDS_ENDPOINT) overrides all.
		base = append(base, cloud.WithRegionalEndpoints(""))
	}
	if cache := cloud.DefaultTaskCache(); cache != "" {
		base = append(base, cloud.WithTaskCache(cache))
	}
	if cache, ttl := cloud.DefaultCatalogCache(), c.Duration(flagCatalogTTL); cache != "" && ttl > 0 {
		base = append(base, cloud.WithCatalogCache(cache, ttl, c.Bool(flagRefreshCatalog)))
	}
	client, err = cloud.New(endpoint, creds, append(base, opts...)...)
	if err != nil {
		closeFn()
		return nil, nil, fmt.Errorf("--endpoint: %w", err)
	}
	// What the waits learned of task durations, and the catalogue answers,
	// are kept for the next run (never an error of the command: the caches
	// only ever cost time and requests).
	stop := closeFn
	closeFn = func() { _ = client.SaveLearned(); stop() }
	return client, closeFn, nil
}

func envDuration(name string) (time.Duration, error) {
	v := os.Getenv(name)
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%s=%q: want a duration such as 500ms", name, v)
	}
	return d, nil
}
