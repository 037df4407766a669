package executor_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/cloud/emulator"
	"github.com/cdstack/cdstack/executor"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// TestRecoverCertificateByName: UploadCACertificate answers no id and no
// task, so an upload interrupted before its record is found by its name
// (adopted), and one that never reached the cloud is discarded.
func TestRecoverCertificateByName(t *testing.T) {
	f := newFixture(t, emulator.Options{})
	ctx := context.Background()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "r.example.com"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(90 * 24 * time.Hour)}
	der, _ := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	kder, _ := x509.MarshalECPrivateKey(key)
	if _, err := f.client.UploadCACertificate(ctx, cloud.UploadCACertificateRequest{CertificateName: "uploaded",
		Certificate: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		PrivateKey:  string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}))}); err != nil {
		t.Fatal(err)
	}
	entry := func(op, name string) *state.JournalEntry {
		return &state.JournalEntry{OpID: op, Addr: name, Kind: "certificate", Action: "create", APIAction: "UploadCACertificate",
			Marker: name, StartedAt: time.Now(), Inputs: map[string]any{"name": name}}
	}
	if _, err := f.store.Commit(ctx, state.Change{JournalPut: []*state.JournalEntry{entry("c1", "uploaded"), entry("c2", "never")}}); err != nil {
		t.Fatal(err)
	}
	s, _ := spec.Parse("s.yaml", []byte("version: 1\nstack: t\nregion: CN_Beijing_A\nresources: {}\n"))
	settled, err := executor.New(f.client, f.store, s).Recover(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var outcomes []string
	for _, st := range settled {
		outcomes = append(outcomes, st.Entry.OpID+": "+st.Outcome[:min(len(st.Outcome), 20)])
	}
	sort.Strings(outcomes)
	if diff := cmp.Diff([]string{"c1: adopted certificate ", "c2: no certificate named"}, outcomes); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	snap, _ := f.store.Snapshot(ctx)
	if rec := snap.Resources["uploaded"]; rec == nil || rec.ID == "" || len(snap.Journal) != 0 {
		t.Errorf("after recovery: %+v, %d entries", snap.Resources, len(snap.Journal))
	}
}
