package emulator

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/cdstack/cdstack/cloud"
)

// TestBackendFaults: the emulator records each moment a listener sends to
// an address whose instance is being deleted or is gone, and nothing when
// the listener drops the instance first.
func TestBackendFaults(t *testing.T) {
	e := newEnv(t, Options{})
	c, ctx := e.client, e.ctx
	f := e.fixture()
	id := e.loadBalancer(f, "front")
	a, b := e.instance(f, "web-0"), e.instance(f, "web-1")
	ipA, ipB := e.describe(a).PrivateNetworkInterface[0].IP, e.describe(b).PrivateNetworkInterface[0].IP
	set := func(ips ...string) { t.Helper(); e.sendTo(id, ips...) }
	set(ipA, ipB)
	// Dropped first, then deleted: no fault.
	set(ipB)
	e.wait(c.DeleteInstance(ctx, cloud.DeleteInstanceRequest{InstanceIDs: []string{a}}))
	if got := e.srv.BackendFaults(); len(got) != 0 {
		t.Fatalf("faults after a clean delete: %q", got)
	}
	// Set back to the address a deleted instance held: a fault.
	set(ipA, ipB)
	// Deleted while the listener sends to it: a fault.
	e.wait(c.DeleteInstance(ctx, cloud.DeleteInstanceRequest{InstanceIDs: []string{b}}))
	got := e.srv.BackendFaults()
	want := []string{
		"listener web of load balancer front set to " + ipA + ", the address of deleted instance " + a + " (web-0), which no instance holds now",
		"DeleteInstance " + b + " (web-1) while listener web of load balancer front sends to its address " + ipB,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("faults:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// An address taken again by a new instance is no fault.
	c2 := e.instance(f, "web-2")
	if ip := e.describe(c2).PrivateNetworkInterface[0].IP; ip == ipA || ip == ipB {
		n := len(e.srv.BackendFaults())
		set(ip)
		if len(e.srv.BackendFaults()) != n {
			t.Errorf("a listener set to %s, taken again by %s, is a fault: %q", ip, c2, e.srv.BackendFaults()[n:])
		}
	}
}

// TestBackendFaultsOnModifyIPAddress: ModifyIpAddress taking an address a
// listener sends to is a fault, and so is a listener set to that address
// afterwards (no instance holds it); taking one the listener dropped
// first, and setting the listener to the new address, is none.
func TestBackendFaultsOnModifyIPAddress(t *testing.T) {
	e := newEnv(t, Options{})
	c, ctx := e.client, e.ctx
	f := e.fixture()
	id := e.loadBalancer(f, "front")
	a := e.instance(f, "web-0")
	nic := e.describe(a).PrivateNetworkInterface[0]
	set := func(ips ...string) { t.Helper(); e.sendTo(id, ips...) }
	move := func(to string) {
		t.Helper()
		e.wait(c.ModifyIPAddress(ctx, cloud.ModifyIPAddressRequest{InstanceID: a, InterfaceID: nic.InterfaceID, Address: to, Password: "Passw0rd!"}))
	}
	ip0 := nic.IP
	ip1, ip2 := nextIP(t, ip0, 100), nextIP(t, ip0, 101)
	// Dropped first, moved, set to the new address: no fault.
	set(ip0)
	set()
	move(ip1)
	set(ip1)
	if got := e.srv.BackendFaults(); len(got) != 0 {
		t.Fatalf("faults after a clean move: %q", got)
	}
	// Moved while the listener sends to it, then set back to the old one.
	move(ip2)
	set(ip1)
	want := []string{
		"ModifyIpAddress " + a + " (web-0) from " + ip1 + " to " + ip2 + " while listener web of load balancer front sends to it",
		"listener web of load balancer front set to " + ip1 + ", the address of instance " + a + " (web-0) before ModifyIpAddress, which no instance holds now",
	}
	if got := e.srv.BackendFaults(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("faults:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// nextIP is ip plus n in its last octet.
func nextIP(t *testing.T, ip string, n int) string {
	t.Helper()
	a, err := netip.ParseAddr(ip)
	if err != nil {
		t.Fatal(err)
	}
	b := a.As4()
	b[3] = byte((int(b[3]) + n) % 250)
	if b[3] < 2 {
		b[3] += 2
	}
	return netip.AddrFrom4(b).String()
}

// sendTo sets load balancer id's one http listener "web" to send to ips.
func (e *env) sendTo(id string, ips ...string) {
	e.t.Helper()
	var bs []cloud.BackendServer
	for _, ip := range ips {
		bs = append(bs, cloud.BackendServer{IP: ip, Port: 80, Weight: "1", MaxConn: 10})
	}
	e.wait(e.client.ModifyLoadBalancerStrategys(e.ctx, cloud.ModifyLoadBalancerStrategysRequest{InstanceUUID: id,
		HTTPListeners: []cloud.Listener{httpListener("web", 80, bs...)}}))
}
