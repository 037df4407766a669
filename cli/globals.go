package cli

import (
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/cdstack/cdstack/cloud"
)

// Global flag names.
const (
	flagEndpoint  = "endpoint"
	flagTimeout   = "timeout"
	flagRateLimit = "rate-limit"
	flagOutage    = "outage-timeout"
	flagNoColor   = "no-color"

	flagRefreshCatalog = "refresh-catalog"
	flagCatalogTTL     = "catalog-ttl"
)

func globalFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{
			Name:    flagEndpoint,
			Usage:   "API base URL (http or https), or \"local\" for the built-in local cloud",
			EnvVars: []string{"CDS_ENDPOINT"},
			Value:   cloud.DefaultEndpoint,
		},
		&ucli.DurationFlag{
			Name:  flagTimeout,
			Usage: "timeout of one API request",
			Value: 60 * time.Second,
		},
		&ucli.DurationFlag{
			Name:    flagOutage,
			Usage:   "how long an API or state store that does not answer is retried before the command fails, naming it",
			EnvVars: []string{"CDSTACK_OUTAGE_TIMEOUT"},
			Value:   2 * time.Minute,
		},
		&ucli.BoolFlag{
			Name:  flagNoColor,
			Usage: "no colours or progress bar, even on a terminal (also: NO_COLOR=1)",
		},
		&ucli.Float64Flag{
			Name:    flagRateLimit,
			Usage:   "API requests per second shared by everything the command does (0: no limit until the API throttles)",
			EnvVars: []string{"CDSTACK_RATE_LIMIT"},
			Value:   20,
		},
		&ucli.BoolFlag{
			Name:  flagRefreshCatalog,
			Usage: "ask the cloud for the catalogue and prices even when answers from the last hour are cached",
		},
		&ucli.DurationFlag{
			Name:    flagCatalogTTL,
			Usage:   "how long catalogue and price answers are reused from the cache (0: never cached)",
			EnvVars: []string{"CDSTACK_CATALOG_TTL"},
			Value:   cloud.DefaultCatalogTTL,
		},
	}
}
