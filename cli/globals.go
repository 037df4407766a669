package cli

import (
	"fmt"
	"os"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/cdstack/cdstack/cloud"
)

// Global flag names.
const (
	flagEndpoint  = "endpoint"
	flagTimeout   = "timeout"
	flagRateLimit = "rate-limit"
)

func globalFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{
			Name:    flagEndpoint,
			Usage:   "API base URL (http or https)",
			EnvVars: []string{"CDS_ENDPOINT"},
			Value:   cloud.DefaultEndpoint,
		},
		&ucli.DurationFlag{
			Name:  flagTimeout,
			Usage: "timeout of one API request",
			Value: 60 * time.Second,
		},
		&ucli.Float64Flag{
			Name:    flagRateLimit,
			Usage:   "API requests per second shared by everything the command does (0: no limit until the API throttles)",
			EnvVars: []string{"CDSTACK_RATE_LIMIT"},
			Value:   20,
		},
	}
}

// newClient builds the API client from the global flags and the credentials
// in the environment or the credentials file.
func newClient(c *ucli.Context, opts ...cloud.Option) (*cloud.Client, error) {
	endpoint := c.String(flagEndpoint)
	if _, err := cloud.ParseEndpoint(endpoint); err != nil {
		return nil, fmt.Errorf("--endpoint: %w", err)
	}
	creds, err := cloud.LoadCredentials(os.Getenv)
	if err != nil {
		return nil, err
	}
	base := []cloud.Option{
		cloud.WithTimeout(c.Duration(flagTimeout)),
		cloud.WithLimiter(cloud.NewLimiter(c.Float64(flagRateLimit), 10)),
	}
	client, err := cloud.New(endpoint, creds, append(base, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("--endpoint: %w", err)
	}
	return client, nil
}
