package resources

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/cloud/emulator"
)

// emulated serves an emulator made with o (and the test key "k"/"s") on
// loopback until the test ends, and returns it with its address.
func emulated(t *testing.T, o emulator.Options) (*emulator.Server, string) {
	t.Helper()
	o.AccessKeys = map[string]string{"k": "s"}
	srv, err := emulator.New(o)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return srv, hs.URL
}

// testClient is a client of the emulator at url with the test key.
func testClient(t *testing.T, url string, opts ...cloud.Option) *cloud.Client {
	t.Helper()
	c, err := cloud.New(url, cloud.Credentials{AccessKeyID: "k", AccessKeySecret: "s"}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// waiter returns wait(task, err): it fails the test on err, waits for the
// task through c and returns the id the task names.
func waiter(t *testing.T, c *cloud.Client) func(task string, err error) string {
	return func(task string, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		done, err := c.WaitTask(context.Background(), task)
		if err != nil {
			t.Fatal(err)
		}
		return done.ResourceID
	}
}
