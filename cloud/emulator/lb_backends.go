package emulator

import (
	"fmt"
	"slices"
)

// The emulator watches one invariant the API does not enforce: a listener
// never sends to an address whose instance is being deleted or is gone,
// or that ModifyIpAddress takes from its instance.
// The service accepts both (HAProxy marks such a server down), so nothing
// is refused; each moment it is broken is recorded, in memory, for tests
// to assert that an apply left no window (Server.BackendFaults).

// noteDeletedBackends records each listener that sends to an address of
// in when its delete is accepted.
func (w *World) noteDeletedBackends(in *Instance) {
	addrs := instanceAddresses(in)
	for _, lb := range w.lbsIn(in.VdcID) {
		for _, l := range lb.Listeners {
			for _, b := range l.Backends {
				if slices.Contains(addrs, b.IP) {
					w.backendFaults = append(w.backendFaults, fmt.Sprintf("DeleteInstance %s (%s) while listener %s of load balancer %s sends to its address %s",
						in.ID, in.Name, l.Name, lb.Name, b.IP))
				}
			}
		}
	}
}

// noteListenerBackends records each backend of a listener set that is an
// address of an instance being deleted, or one a deleted instance held and
// no instance holds now.
func (w *World) noteListenerBackends(lb *LoadBalancer, set []LBListener) {
	for _, l := range set {
		for _, b := range l.Backends {
			for _, in := range w.instancesInVdc(lb.VdcID) {
				if in.Status == statusDeleting && slices.Contains(instanceAddresses(in), b.IP) {
					w.backendFaults = append(w.backendFaults, fmt.Sprintf("listener %s of load balancer %s set to %s, an address of instance %s (%s), which is being deleted",
						l.Name, lb.Name, b.IP, in.ID, in.Name))
				}
			}
			if gone, ok := w.releasedBy[lb.VdcID+"|"+b.IP]; ok {
				w.backendFaults = append(w.backendFaults, fmt.Sprintf("listener %s of load balancer %s set to %s, the address of %s, which no instance holds now",
					l.Name, lb.Name, b.IP, gone))
			}
		}
	}
}

// noteReleased remembers the addresses of a deleted instance until another
// instance takes them.
func (w *World) noteReleased(in *Instance) {
	if w.releasedBy == nil {
		w.releasedBy = map[string]string{}
	}
	for _, ip := range instanceAddresses(in) {
		w.releasedBy[in.VdcID+"|"+ip] = "deleted instance " + in.ID + " (" + in.Name + ")"
	}
}

// noteMovedBackends records each listener that sends to from, an address
// ModifyIpAddress takes from instance in (to give it to, or none), when
// the change is accepted, and remembers from as released until another
// instance takes it: a listener left there sends to no instance.
func (w *World) noteMovedBackends(in *Instance, from, to string) {
	if from == "" {
		return
	}
	for _, lb := range w.lbsIn(in.VdcID) {
		for _, l := range lb.Listeners {
			for _, b := range l.Backends {
				if b.IP == from {
					w.backendFaults = append(w.backendFaults, fmt.Sprintf("ModifyIpAddress %s (%s) from %s to %s while listener %s of load balancer %s sends to it",
						in.ID, in.Name, from, to, l.Name, lb.Name))
				}
			}
		}
	}
	if w.releasedBy == nil {
		w.releasedBy = map[string]string{}
	}
	w.releasedBy[in.VdcID+"|"+from] = "instance " + in.ID + " (" + in.Name + ") before ModifyIpAddress"
}

// noteClaimed forgets a released address that is taken again.
func (w *World) noteClaimed(network, ip string) {
	vdc := ""
	if p, ok := w.Privates[network]; ok {
		vdc = p.VdcID
	} else if p, ok := w.Publics[network]; ok {
		vdc = p.VdcID
	}
	delete(w.releasedBy, vdc+"|"+ip)
}

func instanceAddresses(in *Instance) []string {
	var out []string
	if in.PublicNIC != nil && in.PublicNIC.IP != "" {
		out = append(out, in.PublicNIC.IP)
	}
	for _, n := range in.PrivateNICs {
		if n.IP != "" {
			out = append(out, n.IP)
		}
	}
	return out
}

func (w *World) lbsIn(vdc string) []*LoadBalancer {
	var out []*LoadBalancer
	for _, id := range sortedKeysOf(w.LBs) {
		if lb := w.LBs[id]; lb.VdcID == vdc {
			out = append(out, lb)
		}
	}
	return out
}

// BackendFaults lists, in order, each moment a listener sent to an address
// whose instance was being deleted or was gone, or that ModifyIpAddress
// took from its instance (empty when none).
func (s *Server) BackendFaults() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.world.backendFaults)
}
