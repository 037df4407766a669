package cloud

import (
	"context"
	"encoding/json"
	"net/url"
	"sort"
	"strings"
)

// The API's entry points (首云OpenAPI(v1.2).md, 访问地址): one for mainland
// China, one for Asia-Pacific, one for Europe and America.
const (
	EndpointMainland = "https://cdsapi.capitalonline.net"
	EndpointAsia     = "https://cdsapi-asia.capitalonline.net"
	EndpointUS       = "https://cdsapi-us.capitalonline.net"
)

// The areas of the documents' region table (附件一, 所在大区).
const (
	AreaMainland     = "mainland China"
	AreaAsiaPacific  = "Asia-Pacific"
	AreaNorthAmerica = "North America"
	AreaEurope       = "Europe"
	AreaSouthAmerica = "South America"
)

// regionAreas is the documents' region table: each region's area.
var regionAreas = map[string]string{
	"CN_Beijing_A": AreaMainland, "CN_Beijing_B": AreaMainland, "CN_Beijing_C": AreaMainland, "CN_Beijing_E": AreaMainland,
	"CN_Beijing_H": AreaMainland, "CN_Beijing_I": AreaMainland, "CN_Beijing_J": AreaMainland, "CN_Beijing_Y": AreaMainland,
	"CN_Beijing_Z": AreaMainland, "CN_Guangzhou_A": AreaMainland, "CN_Shanghai_A": AreaMainland, "CN_Shanghai_C": AreaMainland,
	"CN_Shanghai_D": AreaMainland, "CN_Taipei_A": AreaMainland, "CN_Wuxi_A": AreaMainland, "CN_Wuxi_B": AreaMainland,
	"CN_Hongkong_A": AreaMainland, "CN_Huhehaote_A": AreaMainland, "CN_Huhehaote_B": AreaMainland, "CN_Suzhou_A": AreaMainland,
	"CN_Changsha_A": AreaMainland, "CN_Suqian_B": AreaMainland,
	"US_Dallas_A": AreaNorthAmerica, "US_Dallas_B": AreaNorthAmerica, "US_Dallas_C": AreaNorthAmerica, "US_Dallas_D": AreaNorthAmerica,
	"US_Dallas_E": AreaNorthAmerica, "US_Dallas_F": AreaNorthAmerica, "US_Dallas_G": AreaNorthAmerica, "US_Dallas_H": AreaNorthAmerica,
	"US_Dallas_I": AreaNorthAmerica, "US_Dallas_J": AreaNorthAmerica, "US_Dallas_L": AreaNorthAmerica, "US_Dallas_N": AreaNorthAmerica,
	"US_Miami_A": AreaNorthAmerica, "US_LosAngeles_A": AreaNorthAmerica, "US_Virginia_A": AreaNorthAmerica,
	"EUR_Germany_A": AreaEurope, "EUR_Germany_B": AreaEurope, "EUR_Germany_C": AreaEurope, "EUR_Netherlands_A": AreaEurope,
	"EUR_Marseilles_A": AreaEurope,
	"APAC_Tokyo_A":     AreaAsiaPacific, "APAC_Seoul_A": AreaAsiaPacific, "APAC_Singapore_A": AreaAsiaPacific,
	"APAC_Singapore_B": AreaAsiaPacific, "APAC_Singapore_C": AreaAsiaPacific, "APAC_Singapore_D": AreaAsiaPacific,
	"APAC_SGSIN_E": AreaAsiaPacific, "APAC_Mumbai_A": AreaAsiaPacific, "APAC_Mumbai_B": AreaAsiaPacific, "APAC_Mumbai_C": AreaAsiaPacific,
	"APAC_Jakarta_A": AreaAsiaPacific, "APAC_HoChiMinh_A": AreaAsiaPacific,
	"SR_SaintPaul_A": AreaSouthAmerica,
}

// areaEndpoints maps an area to its entry point. South America has none in
// the documents: it uses the mainland one.
var areaEndpoints = map[string]string{
	AreaMainland: EndpointMainland, AreaAsiaPacific: EndpointAsia,
	AreaNorthAmerica: EndpointUS, AreaEurope: EndpointUS, AreaSouthAmerica: EndpointMainland,
}

// RegionArea returns the area of region: the documents' table, else the
// id's prefix (APAC_ Asia-Pacific, US_ North America, EUR_ Europe, SR_
// South America), else mainland China.
func RegionArea(region string) string {
	if a, ok := regionAreas[region]; ok {
		return a
	}
	switch {
	case strings.HasPrefix(region, "APAC_"):
		return AreaAsiaPacific
	case strings.HasPrefix(region, "US_"):
		return AreaNorthAmerica
	case strings.HasPrefix(region, "EUR_"):
		return AreaEurope
	case strings.HasPrefix(region, "SR_"):
		return AreaSouthAmerica
	}
	return AreaMainland
}

// RegionEndpoint returns the entry point of region's area.
func RegionEndpoint(region string) string { return areaEndpoints[RegionArea(region)] }

type regionKey struct{}

// WithRegion returns a context whose requests are for region: with
// regional entry points (WithRegionalEndpoints) they go to its area's
// entry point, whatever their parameters say.
func WithRegion(ctx context.Context, region string) context.Context {
	if region == "" {
		return ctx
	}
	return context.WithValue(ctx, regionKey{}, region)
}

// RegionOf returns the region WithRegion put in ctx, or "".
func RegionOf(ctx context.Context) string {
	r, _ := ctx.Value(regionKey{}).(string)
	return r
}

// WithRegionalEndpoints sends each request to the entry point of the
// region it is for (see Client.EndpointFor); defaultRegion is the region
// of requests that name none (the stack's).
func WithRegionalEndpoints(defaultRegion string) Option {
	return func(c *Client) { c.regional, c.defaultRegion = true, defaultRegion }
}

// WithDefaultRegion sets the region of requests that name none (the
// stack's), for regional entry points.
func WithDefaultRegion(region string) Option { return func(c *Client) { c.defaultRegion = region } }

// WithEndpointResolver is WithRegionalEndpoints with another map from
// region to entry point (tests put local servers behind the areas).
func WithEndpointResolver(defaultRegion string, resolve func(region string) string) Option {
	return func(c *Client) { c.regional, c.defaultRegion, c.resolve = true, defaultRegion, resolve }
}

// SetDefaultRegion sets the region of requests that name none, once the
// stack is known.
func (c *Client) SetDefaultRegion(region string) { c.defaultRegion = region }

// Regional reports whether the client picks an entry point per request.
func (c *Client) Regional() bool { return c.regional }

// EndpointFor returns the base URL a request for ctx with params goes to:
// the client's endpoint, or with regional entry points the one of the
// request's region: the context's (WithRegion), else the RegionId of
// params, else the default region.
func (c *Client) EndpointFor(ctx context.Context, params any) *url.URL {
	if !c.regional {
		return c.base
	}
	region := RegionOf(ctx)
	if region == "" {
		region = paramRegion(params)
	}
	if region == "" {
		region = c.defaultRegion
	}
	u, err := url.Parse(c.regionEndpoint(region))
	if err != nil {
		return c.base
	}
	return u
}

// EndpointRegions returns one region per entry point that regions use (the
// first of each, in order), so a listing of the whole account is made once
// per entry point; without regional entry points, only the first region.
func (c *Client) EndpointRegions(regions []string) []string {
	seen := map[string]bool{}
	var out []string
	sorted := append([]string(nil), regions...)
	sort.Strings(sorted)
	for _, r := range sorted {
		ep := c.base.String()
		if c.regional {
			ep = c.regionEndpoint(r)
		}
		if !seen[ep] {
			seen[ep] = true
			out = append(out, r)
		}
	}
	return out
}

// paramRegion returns the RegionId of params, or "".
func paramRegion(params any) string {
	switch p := params.(type) {
	case nil:
		return ""
	case map[string]any:
		s, _ := p["RegionId"].(string)
		return s
	case map[string]string:
		return p["RegionId"]
	case json.RawMessage:
		var m struct {
			RegionID string `json:"RegionId"`
		}
		_ = json.Unmarshal(p, &m)
		return m.RegionID
	}
	b, err := json.Marshal(params)
	if err != nil {
		return ""
	}
	var m struct {
		RegionID any `json:"RegionId"`
	}
	_ = json.Unmarshal(b, &m)
	s, _ := m.RegionID.(string)
	return s
}

// keyed prefixes a coalesced lookup's id with the region of ctx, so that a
// batch asks each entry point for its own; unkeyed splits it again.
func keyed(ctx context.Context, id string) string { return RegionOf(ctx) + "|" + id }

func unkeyed(ctx context.Context, key string) (context.Context, string) {
	region, id, ok := strings.Cut(key, "|")
	if !ok {
		return ctx, key
	}
	return WithRegion(ctx, region), id
}

// regionEndpoint is the entry point of region: the resolver's, else the
// documents'.
func (c *Client) regionEndpoint(region string) string {
	if c.resolve != nil {
		return c.resolve(region)
	}
	return RegionEndpoint(region)
}
