package emulator

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"sort"
	"strconv"
)

// The public address pool is 198.18.0.0/15, the block RFC 2544 reserves for
// benchmarks: no address the emulator hands out is anyone's real address, and
// it holds 131,072 addresses (the documentation /24s hold only 768).
const (
	publicPoolStart uint32 = 198<<24 | 18<<16
	publicPoolEnd   uint32 = 198<<24 | 20<<16
)

func ipString(v uint32) string {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], v)
	return netip.AddrFrom4(b).String()
}

func parseIPv4(s string) (uint32, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return 0, false
	}
	b := a.As4()
	return binary.BigEndian.Uint32(b[:]), true
}

// segmentMask is the prefix length of a block of size addresses.
func segmentMask(size int) int {
	m := 32
	for s := size; s > 1; s >>= 1 {
		m--
	}
	return m
}

// usable reports whether ip is a host address of seg (not network, gateway or broadcast).
func (seg Segment) usable(ip uint32) bool {
	return ip >= seg.Network+2 && ip < seg.Network+uint32(seg.Size)-1
}

// allocSegment finds a free aligned block of size addresses in the pool.
func (w *World) allocSegment(size int) (uint32, bool) {
	var used []Segment
	for _, pn := range w.Publics {
		used = append(used, pn.Segments...)
	}
	sort.Slice(used, func(i, j int) bool { return used[i].Network < used[j].Network })
	cand := publicPoolStart
	for _, s := range used {
		if cand+uint32(size) <= s.Network {
			break
		}
		if end := s.Network + uint32(s.Size); end > cand {
			cand = (end + uint32(size) - 1) / uint32(size) * uint32(size)
		}
	}
	if cand+uint32(size) > publicPoolEnd {
		return 0, false
	}
	return cand, true
}

func ipKey(networkID, ip string) string { return networkID + "|" + ip }

// claimIP records ip on networkID as owned by owner; false if it is taken.
func (w *World) claimIP(networkID, ip, owner string) bool {
	if w.usedIPs == nil {
		w.usedIPs = map[string]string{}
	}
	if w.ipCount == nil {
		w.ipCount = map[string]int{}
	}
	k := ipKey(networkID, ip)
	if _, taken := w.usedIPs[k]; taken {
		return false
	}
	w.usedIPs[k] = owner
	w.ipCount[networkID]++
	w.noteClaimed(networkID, ip)
	return true
}

func (w *World) releaseIP(networkID, ip string) {
	k := ipKey(networkID, ip)
	if _, ok := w.usedIPs[k]; ip != "" && ok {
		delete(w.usedIPs, k)
		w.ipCount[networkID]--
	}
}

func (w *World) ipUsed(networkID, ip string) bool {
	_, ok := w.usedIPs[ipKey(networkID, ip)]
	return ok
}

// publicNetOf finds the public network of vdc whose segments hold ip.
func (w *World) publicNetOf(vdcID string, ip uint32) *PublicNet {
	for _, pn := range w.Publics {
		if pn.VdcID != vdcID {
			continue
		}
		for _, seg := range pn.Segments {
			if seg.usable(ip) {
				return pn
			}
		}
	}
	return nil
}

// unusedPublicIPs counts the free addresses of pn.
func (w *World) unusedPublicIPs(pn *PublicNet) int {
	n := 0
	for _, seg := range pn.Segments {
		n += max(seg.Size-3, 0)
	}
	return n - w.ipCount[pn.ID]
}

// unusedPrivateIPs counts the free host addresses of p.
func (w *World) unusedPrivateIPs(p *PrivateNet) int {
	first, last := p.hostRange()
	return int(last-first+1) - w.ipCount[p.ID]
}

// hostRange is the first and last host address of a private network
// (network+1 is the gateway).
func (p *PrivateNet) hostRange() (first, last uint32) {
	size := uint32(1) << (32 - p.Mask)
	return p.Network + 2, p.Network + size - 2
}

func (p *PrivateNet) cidr() string { return fmt.Sprintf("%s/%d", ipString(p.Network), p.Mask) }

// overlaps reports whether a network/mask overlaps any private network of vdc.
func (w *World) overlaps(vdcID string, network uint32, mask int) bool {
	lo, hi := network, network+(uint32(1)<<(32-mask))-1
	for _, p := range w.Privates {
		if p.VdcID != vdcID {
			continue
		}
		plo, phi := p.Network, p.Network+(uint32(1)<<(32-p.Mask))-1
		if lo <= phi && plo <= hi {
			return true
		}
	}
	return false
}

// privateRange reports whether network/mask lies in an RFC 1918 block.
func privateRange(network uint32, mask int) bool {
	blocks := []struct {
		net  uint32
		mask int
	}{{10 << 24, 8}, {172<<24 | 16<<16, 12}, {192<<24 | 168<<16, 16}}
	for _, b := range blocks {
		if mask >= b.mask && network>>(32-b.mask) == b.net>>(32-b.mask) {
			return true
		}
	}
	return false
}

// reindex rebuilds the address index after loading a world.
func (w *World) reindex() {
	w.usedIPs = map[string]string{}
	w.ipCount = map[string]int{}
	for _, in := range w.Instances {
		if in.PublicNIC != nil && in.PublicNIC.IP != "" {
			w.claimIP(in.PublicNIC.NetworkID, in.PublicNIC.IP, in.ID)
		}
		for _, n := range in.PrivateNICs {
			if n.IP != "" {
				w.claimIP(n.NetworkID, n.IP, in.ID)
			}
		}
		if in.Seq > w.seq {
			w.seq = in.Seq
		}
	}
	for _, db := range w.Databases {
		if db.IP != "" {
			w.claimIP(db.PrivateID, db.IP, db.ID)
		}
		if db.Seq > w.seq {
			w.seq = db.Seq
		}
	}
	w.reindexLBs()
	for _, t := range w.Tasks {
		if t.Status == "" {
			w.pending[t.ID] = t
		}
	}
	for id := range w.Tags {
		if n, err := strconv.Atoi(id); err == nil && n > w.tagSeq {
			w.tagSeq = n
		}
	}
}
