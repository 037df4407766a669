package spec

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRefusedValueRules(t *testing.T) {
	tests := map[string]struct {
		got  func() any
		want any
	}{
		"three classes":       {func() any { return ValidInstancePassword("abc123,.;") }, true},
		"two classes":         {func() any { return ValidInstancePassword("abcdefgh123") }, false},
		"seven characters":    {func() any { return ValidInstancePassword("Ab1!Ab1") }, false},
		"thirty-one":          {func() any { return ValidInstancePassword("Abcdefghij1234567890Abcdefghij1") }, false},
		"not ASCII":           {func() any { return ValidInstancePassword("Abcdefg1é") }, false},
		"a space":             {func() any { return ValidInstancePassword("Abc defg1") }, false},
		"database eight":      {func() any { return ValidDatabasePassword("abcdefgh") }, true},
		"database seven":      {func() any { return ValidDatabasePassword("abcdefg") }, false},
		"every port":          {func() any { return badPort("0") }, ""},
		"a range":             {func() any { return badPort("80-8080") }, ""},
		"one-port range":      {func() any { return badPort("80-80") }, ""},
		"reversed":            {func() any { return badPort("8080-80") }, "the range ends before it starts; write 80-8080"},
		"over 65535":          {func() any { return badPort("65536") }, "not 0 (every port) or a port 1–65535"},
		"range from 0":        {func() any { return badPort("0-80") }, "a range takes two ports 1–65535, such as 8000-8080"},
		"an address":          {func() any { return badAddress("10.0.0.5") }, ""},
		"host bits set":       {func() any { return badAddress("120.78.170.188/28") }, ""},
		"prefix 33":           {func() any { return badAddress("10.0.0.0/33") }, "not a CIDR (an address, /, and a prefix length up to 32 for IPv4 or 128 for IPv6), such as 10.0.0.0/8"},
		"a host name":         {func() any { return badAddress("example.com") }, "not an address or CIDR, such as 10.0.0.5 or 10.0.0.0/8"},
		"instance name":       {func() any { return instanceName.MatchString("web-1.eu_west") }, true},
		"instance name space": {func() any { return instanceName.MatchString("web eu") }, false},
		"instance name 中文":    {func() any { return instanceName.MatchString("网站-1") }, true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.got()); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}
