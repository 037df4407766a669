package state

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// TestEtcdUnreachable: both ways etcd goes away under a request name the
// store and are remembered, so every later request fails at once with the
// same message; any other error is passed on and remembers nothing.
func TestEtcdUnreachable(t *testing.T) {
	expired, cancel := context.WithTimeout(context.Background(), 0)
	defer cancel()
	<-expired.Done()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		err  error
		want string // "" when the error is passed on as it is
	}{
		{"no answer in time", expired, context.DeadlineExceeded, "etcd did not answer within 4s (is it down?)"},
		{"connection dropped", context.Background(), status.Error(codes.Unavailable, "connection reset by peer"), "etcd dropped the connection (is it down?)"},
		{"refused request", context.Background(), status.Error(codes.InvalidArgument, "too many operations"), ""},
		{"deadline of the caller, not of the request", context.Background(), context.DeadlineExceeded, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &Etcd{url: "etcd://127.0.0.1:2379/s", opTime: 4 * time.Second}
			err := e.unreachable(tc.ctx, tc.err)
			if tc.want == "" {
				if err != tc.err || e.down.Load() != nil {
					t.Fatalf("unreachable(%v) = %v, down %v; want the error passed on, nothing remembered", tc.err, err, e.down.Load())
				}
				return
			}
			if !strings.HasPrefix(err.Error(), "state etcd://127.0.0.1:2379/s: "+tc.want) || !errors.Is(err, tc.err) {
				t.Fatalf("unreachable(%v) = %v; want it to start %q and wrap the cause", tc.err, err, tc.want)
			}
			ctx, cancel := e.op(context.Background())
			defer cancel()
			if ctx.Err() == nil {
				t.Error("a request after etcd was found gone is still given time")
			}
			if again := e.unreachable(ctx, ctx.Err()); again.Error() != err.Error() {
				t.Errorf("the next request says %v, want the first message again", again)
			}
		})
	}
}
