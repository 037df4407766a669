package emulator

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"
)

// commonParams are the parameters every request carries in its query.
var commonParams = []string{"Action", "AccessKeyId", "SignatureMethod", "SignatureNonce", "SignatureVersion", "Timestamp", "Version", "Signature"}

func isCommon(k string) bool { return slices.Contains(commonParams, k) }

// nonceWindow is how far a Timestamp may be from the server's clock, and how
// long a SignatureNonce stays used.
const nonceWindow = 15 * time.Minute

// authenticate checks the common parameters and the signature of a request
// exactly as the service does. It is written apart from the client's signer
// (url.QueryEscape plus the reference's three replacements, not
// cloud.PercentEncode), so a bug in one cannot hide in the other.
func (s *Server) authenticate(method string, q url.Values) *apiError {
	for _, k := range commonParams {
		if len(q[k]) == 0 || q.Get(k) == "" {
			return errorf(400, "MissingParameter", "The request is missing the common parameter %s.", k)
		}
	}
	for k, vs := range q {
		if len(vs) > 1 {
			return errorf(400, "InvalidParameter.Duplicate", "The parameter %s appears more than once.", k)
		}
	}
	if m := q.Get("SignatureMethod"); m != "HMAC-SHA1" {
		return errorf(400, "InvalidSignatureMethod", "SignatureMethod %q is not supported; use HMAC-SHA1.", m)
	}
	if v := q.Get("SignatureVersion"); v != "1.0" {
		return errorf(400, "InvalidSignatureVersion", "SignatureVersion %q is not supported; use 1.0.", v)
	}
	if v := q.Get("Version"); v != "2019-08-08" {
		return errorf(400, "InvalidVersion", "Version %q is not supported; use 2019-08-08.", v)
	}
	ts, err := time.Parse("2006-01-02T15:04:05Z", q.Get("Timestamp"))
	if err != nil {
		return errorf(400, "InvalidTimeStamp.Format", "Timestamp %q is not in the form yyyy-MM-ddTHH:mm:ssZ (UTC).", q.Get("Timestamp"))
	}
	now := s.clock.Now()
	if d := now.Sub(ts); d > nonceWindow || d < -nonceWindow {
		return errorf(400, "InvalidTimeStamp.Expired", "Timestamp %s is more than 15 minutes from the server time %s.", q.Get("Timestamp"), now.UTC().Format("2006-01-02T15:04:05Z"))
	}
	id := q.Get("AccessKeyId")
	secret, ok := s.opts.AccessKeys[id]
	if !ok {
		return errorf(401, "InvalidAccessKeyId.NotFound", "The AccessKeyId %q does not exist.", id)
	}
	if want := referenceSignature(method, q, secret); !hmac.Equal([]byte(want), []byte(q.Get("Signature"))) {
		return errorf(403, "SignatureDoesNotMatch", "The request signature does not match; sign %s&%%2F& followed by the encoded sorted query with your AccessKeySecret.", method)
	}
	s.mu.Lock()
	fresh := s.world.useNonce(id+"\x00"+q.Get("SignatureNonce"), now)
	s.mu.Unlock()
	if !fresh {
		return errorf(400, "SignatureNonceUsed", "The SignatureNonce %q was already used in the last 15 minutes.", q.Get("SignatureNonce"))
	}
	return nil
}

// referenceSignature is the reference's Python algorithm, step by step.
func referenceSignature(method string, q url.Values, secret string) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "Signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = referenceEncode(k) + "=" + referenceEncode(q.Get(k))
	}
	stringToSign := method + "&%2F&" + referenceEncode(strings.Join(parts, "&"))
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// referenceEncode is percentEncode from the reference: form encoding, then
// '+' → %20, '*' → %2A, %7E → '~'.
func referenceEncode(s string) string {
	e := url.QueryEscape(s)
	e = strings.ReplaceAll(e, "+", "%20")
	e = strings.ReplaceAll(e, "*", "%2A")
	return strings.ReplaceAll(e, "%7E", "~")
}
