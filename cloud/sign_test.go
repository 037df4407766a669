package cloud

import (
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func commonParams(action string) map[string]string {
	return map[string]string{
		"Action":           action,
		"AccessKeyId":      "testak",
		"SignatureMethod":  "HMAC-SHA1",
		"SignatureNonce":   "fixed-nonce",
		"SignatureVersion": "1.0",
		"Timestamp":        "2019-09-22T05:37:47Z",
		"Version":          "2019-08-08",
	}
}

// The expected signatures below other than the first come from an independent
// implementation: the reference's Python algorithm run with the raw secret.
func TestSignVectors(t *testing.T) {
	tests := map[string]struct {
		method string
		action string
		extra  map[string]string
		want   string
	}{
		"official SDK vector":       {"GET", "DescribeVdc", map[string]string{"VdcId": "abc"}, "ttcgvfTcs1r8H3ZhVR44vMEg9UI="},
		"non-ASCII and space":       {"GET", "DescribeVdc", map[string]string{"Keyword": "北京 五"}, "yoYRRTYdSaW/684g6iZoCDdCUpA="},
		"spaces around dash":        {"GET", "DescribeBill", map[string]string{"DateFromTo": "2019.09.02 - 2019.09.03"}, "5O8nU0wpda0jkgrBllc+XghSdI4="},
		"star and tilde":            {"GET", "DescribeVdc", map[string]string{"Keyword": "a*b~c"}, "aJ4OIBBJ3IGw7aVZV/YX16Wt2Ng="},
		"reserved characters":       {"GET", "DescribeVdc", map[string]string{"Keyword": `!#$&'()+,/:;=?@[]"%`}, "x7fIq/cTXZFQ6x6w0ecc+S+5nGc="},
		"POST signs the query only": {"POST", "CreateInstance", nil, "EI5MnOU9SYBRTKKOw4EISQMCEiU="},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p := commonParams(tc.action)
			for k, v := range tc.extra {
				p[k] = v
			}
			if got := Sign(tc.method, p, "testsk"); got != tc.want {
				t.Errorf("Sign = %s, want %s\nstring to sign: %s", got, tc.want, StringToSign(tc.method, p))
			}
		})
	}
}

func TestSignIgnoresSignatureParameter(t *testing.T) {
	p := commonParams("DescribeVdc")
	p["VdcId"] = "abc"
	p["Signature"] = "whatever"
	if got := Sign("GET", p, "testsk"); got != "ttcgvfTcs1r8H3ZhVR44vMEg9UI=" {
		t.Errorf("Sign with a Signature parameter = %s", got)
	}
}

func TestPercentEncode(t *testing.T) {
	tests := map[string]string{
		"AZaz09-_.~": "AZaz09-_.~",
		"a b":        "a%20b",
		"a*b":        "a%2Ab",
		"a+b":        "a%2Bb",
		"é":          "%C3%A9",
		"北":          "%E5%8C%97",
		"/?&=":       "%2F%3F%26%3D",
		`"`:          "%22",
		"":           "",
	}
	for in, want := range tests {
		if got := PercentEncode(in); got != want {
			t.Errorf("PercentEncode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCanonicalQuerySortsByKey(t *testing.T) {
	got := CanonicalQuery(map[string]string{"b": "2", "a": "1", "B": "x y", "Signature": "dropped"})
	if want := "B=x%20y&a=1&b=2"; got != want {
		t.Errorf("CanonicalQuery = %q, want %q", got, want)
	}
	sts := StringToSign("get", map[string]string{"a": "1", "b": "2"})
	if want := "GET&%2F&a%3D1%26b%3D2"; sts != want {
		t.Errorf("StringToSign = %q, want %q", sts, want)
	}
}

func TestSignedQueryAppendsEncodedSignature(t *testing.T) {
	p := commonParams("DescribeVdc")
	p["VdcId"] = "abc"
	q := SignedQuery("GET", p, "testsk")
	if !strings.HasSuffix(q, "&Signature=ttcgvfTcs1r8H3ZhVR44vMEg9UI%3D") {
		t.Errorf("SignedQuery = %s", q)
	}
	if diff := cmp.Diff(commonParams("DescribeVdc")["Action"], "DescribeVdc"); diff != "" {
		t.Error(diff)
	}
}

func FuzzPercentEncode(f *testing.F) {
	for _, s := range []string{"", "a b", "北京", "*~", "%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		enc := PercentEncode(s)
		for i := 0; i < len(enc); i++ {
			c := enc[i]
			if !unreserved(c) && c != '%' {
				t.Fatalf("PercentEncode(%q) = %q has unencoded byte %q", s, enc, c)
			}
		}
		if dec, err := urlUnescape(enc); err != nil || dec != s {
			t.Fatalf("PercentEncode(%q) = %q does not round-trip: %q, %v", s, enc, dec, err)
		}
	})
}

func urlUnescape(s string) (string, error) { return url.PathUnescape(s) }
