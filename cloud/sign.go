package cloud

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"sort"
	"strings"
)

// Common request parameters every signed call carries (reference §认证方式).
const (
	APIVersion       = "2019-08-08"
	SignatureMethod  = "HMAC-SHA1"
	SignatureVersion = "1.0"
	// TimestampFormat is the UTC layout of the Timestamp parameter.
	TimestampFormat = "2006-01-02T15:04:05Z"
)

// PercentEncode encodes s as RFC 3986 requires for signing: A–Z, a–z, 0–9,
// '-', '_', '.' and '~' stay as they are; every other byte of the UTF-8 form
// becomes %XY with upper-case hex, so a space is %20 and '*' is %2A.
func PercentEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) * 3 / 2)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0x0f])
	}
	return b.String()
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// CanonicalQuery sorts params by key (byte order) and joins them as
// enc(key)=enc(value) with '&'. A "Signature" key is left out. The result is
// also a valid query string, so the signed URL uses it verbatim.
func CanonicalQuery(params map[string]string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		if k != "Signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(PercentEncode(k))
		b.WriteByte('=')
		b.WriteString(PercentEncode(params[k]))
	}
	return b.String()
}

// StringToSign is METHOD&%2F&enc(canonical query).
func StringToSign(method string, params map[string]string) string {
	return strings.ToUpper(method) + "&%2F&" + PercentEncode(CanonicalQuery(params))
}

// Sign returns the base64 HMAC-SHA1 of StringToSign keyed with the raw
// AccessKeySecret. The reference says the key is the secret followed by "&";
// every official SDK and the service itself use the secret alone, and so do we.
func Sign(method string, params map[string]string, secret string) string {
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write([]byte(StringToSign(method, params)))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// SignedQuery adds nothing to params; it returns the canonical query with the
// Signature parameter appended, ready to follow '?' in the request URL.
func SignedQuery(method string, params map[string]string, secret string) string {
	return CanonicalQuery(params) + "&Signature=" + PercentEncode(Sign(method, params, secret))
}
