package cli

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"os"
	"strconv"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdSelfSigned makes a self-signed certificate in the script's work
// directory: selfsigned NAME DAYS DOMAIN… writes NAME.crt and NAME.key
// (PEM), valid from a year ago until DAYS days from now, and
// NAME.upload.json, an UploadCACertificate body named NAME, NAME.vars.yaml,
// a --var-file setting tls_certificate and tls_key, and NAME.notafter, the
// end date (2006-01-02). No key is ever
// committed: each run makes its own.
func cmdSelfSigned(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 3 || neg {
		ts.Fatalf("usage: selfsigned NAME DAYS DOMAIN...")
	}
	days, err := strconv.Atoi(args[1])
	ts.Check(err)
	certPEM, keyPEM, notAfter, err := selfSigned(days, args[2:]...)
	ts.Check(err)
	body, err := json.Marshal(map[string]string{"CertificateName": args[0], "Certificate": certPEM, "PrivateKey": keyPEM})
	ts.Check(err)
	name := args[0]
	ts.Check(writeFile(ts.MkAbs(name+".crt"), certPEM))
	ts.Check(writeFile(ts.MkAbs(name+".key"), keyPEM))
	ts.Check(writeFile(ts.MkAbs(name+".upload.json"), string(body)))
	ts.Check(writeFile(ts.MkAbs(name+".notafter"), notAfter.Format("2006-01-02")))
	// A --var-file (JSON is YAML) with the chain and the key.
	vars, err := json.Marshal(map[string]string{"tls_certificate": certPEM, "tls_key": keyPEM})
	ts.Check(err)
	ts.Check(writeFile(ts.MkAbs(name+".vars.yaml"), string(vars)))
}

func writeFile(path, text string) error { return os.WriteFile(path, []byte(text), 0o600) }

// selfSigned makes a self-signed certificate for domains, valid for days
// more days, and its key, both PEM.
func selfSigned(days int, domains ...string) (certPEM, keyPEM string, notAfter time.Time, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", "", time.Time{}, err
	}
	now := time.Now().UTC().Truncate(time.Second)
	tpl := &x509.Certificate{SerialNumber: big.NewInt(now.UnixNano()), Subject: pkix.Name{CommonName: domains[0]},
		DNSNames: domains, NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(0, 0, days)}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		return "", "", time.Time{}, err
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return "", "", time.Time{}, err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})), tpl.NotAfter, nil
}
