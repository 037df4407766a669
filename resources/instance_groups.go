package resources

import (
	"context"
	"fmt"
	"net/netip"
	"slices"

	"github.com/cdstack/cdstack/cloud"
)

// An instance's security groups at create (云主机概览.md, CreateInstance
// SecurityGroup): each wanted group is sent with the network (PipeId) whose
// interface joins it, so the bindings are made by the create task and need
// no JoinNSG, DescribeNSGs or member polling of their own. A public group
// binds on the public network the instance's address is on: a fixed
// public_ip's network, or, for auto, the VDC's only public network (one
// DescribeVdc shared by the instances of a wave); a private group on each
// private network of private_ips. A group whose network cannot be told
// before the create (auto on a VDC with several public networks), or whose
// type is unknown, joins after the create as before (setMembership).
// Changes of membership after the create stay JoinNSG/LeaveNSG.

// A Known reports what the caller (the executor, from the records of the
// run) knows of the resource id: its kind and inputs. It saves reads of
// what the state already says (a security group's type never changes in
// place).
type Known func(id string) (kind string, in Inputs, ok bool)

type knownKey struct{}

// WithKnown returns ctx carrying k for the kinds' Create.
func WithKnown(ctx context.Context, k Known) context.Context {
	return context.WithValue(ctx, knownKey{}, k)
}

// knownInputs returns the inputs ctx's Known has for id of kind.
func knownInputs(ctx context.Context, kind, id string) (Inputs, bool) {
	k, _ := ctx.Value(knownKey{}).(Known)
	if k == nil {
		return nil, false
	}
	got, in, ok := k(id)
	return in, ok && got == kind
}

// groupTypes returns the type of each group of ids: from what ctx knows,
// else from one DescribeNSGs; a group found nowhere is left out.
func groupTypes(ctx context.Context, c *cloud.Client, ids []string) (map[string]string, error) {
	out := map[string]string{}
	var unknown bool
	for _, id := range ids {
		if in, ok := knownInputs(ctx, "security_group", id); ok && in.String("type") != "" {
			out[id] = in.String("type")
		} else {
			unknown = true
		}
	}
	if !unknown {
		return out, nil
	}
	list, err := c.DescribeNSGs(ctx, cloud.DescribeNSGsRequest{})
	if err != nil {
		return nil, err
	}
	for _, g := range list.SecurityGroups {
		if slices.Contains(ids, g.SecurityGroupID) {
			out[g.SecurityGroupID] = g.SecurityGroupType
		}
	}
	return out, nil
}

// createPipes splits the groups in wants into the SecurityGroup entries
// CreateInstance binds and the groups left to join after the create.
func createPipes(ctx context.Context, c *cloud.Client, in Inputs) ([]cloud.SecurityGroupPipe, []string, error) {
	want := in.Strings("security_groups")
	if len(want) == 0 {
		return nil, nil, nil
	}
	types, err := groupTypes(ctx, c, want)
	if err != nil {
		return nil, nil, err
	}
	var privates []string
	for _, p := range in.Maps("private_ips") {
		if n := Inputs(p).String("network"); n != "" && !slices.Contains(privates, n) {
			privates = append(privates, n)
		}
	}
	var pipes []cloud.SecurityGroupPipe
	var late []string
	public, publicKnown := "", false
	for _, g := range want {
		switch types[g] {
		case "private":
			if len(privates) == 0 {
				late = append(late, g) // setMembership names the problem
			}
			for _, n := range privates {
				pipes = append(pipes, cloud.SecurityGroupPipe{SecurityGroupID: g, PipeID: n})
			}
		case "public":
			if !publicKnown {
				if public, err = publicPipe(ctx, c, in); err != nil {
					return nil, nil, err
				}
				publicKnown = true
			}
			if public == "" {
				late = append(late, g)
				continue
			}
			pipes = append(pipes, cloud.SecurityGroupPipe{SecurityGroupID: g, PipeID: public})
		default:
			late = append(late, g)
		}
	}
	return pipes, late, nil
}

// publicPipe returns the public network the instance's address will be on,
// or "" when it cannot be told before the create (or there is no address).
func publicPipe(ctx context.Context, c *cloud.Client, in Inputs) (string, error) {
	ip := in.String("public_ip")
	if ip == "" {
		return "", nil
	}
	v, err := c.SharedVdc(ctx, in.String("vdc"))
	if err != nil || v == nil {
		return "", err
	}
	if ip == "auto" {
		if len(v.PublicNetwork) == 1 {
			return v.PublicNetwork[0].PublicID, nil
		}
		return "", nil
	}
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return "", nil
	}
	for _, p := range v.PublicNetwork {
		for _, s := range p.Segments {
			if pfx, err := netip.ParsePrefix(fmt.Sprintf("%s/%d", s.Address, s.Mask)); err == nil && pfx.Contains(addr) {
				return p.PublicID, nil
			}
		}
	}
	return "", nil
}

// checkBindings confirms that the bindings the create made are in place
// once its task finished: instance id has one member per pipe in each
// group, every one ok (syncing is waited for; error fails). The members
// are read once per group for all the instances of a wave.
func checkBindings(ctx context.Context, c *cloud.Client, id string, pipes []cloud.SecurityGroupPipe) error {
	want := map[string]int{}
	for _, p := range pipes {
		want[p.SecurityGroupID]++
	}
	for _, g := range keysOf(want) {
		if err := c.WaitUntil(ctx, "instance "+id+" to join security group "+g, func(ctx context.Context) (bool, error) {
			members, err := c.DescribeNSGMembers(ctx, cloud.NSGRequest{SecurityGroupID: g})
			if err != nil {
				return false, err
			}
			ok := 0
			defer func() {
				if ok >= want[g] {
					c.Prime(primedMembers(g, id), members) // the read-back's view of g
				}
			}()
			for _, m := range members.Members {
				if m.InstanceID != id {
					continue
				}
				switch m.InterfaceStatus {
				case cloud.NSGMemberError:
					return false, fmt.Errorf("security group %s: interface %s: %w (DescribeNSGMembers InterfaceStatus error)", g, m.InterfaceID, errMemberBinding)
				case cloud.NSGMemberOK:
					ok++
				}
			}
			return ok >= want[g], nil
		}); err != nil {
			return fmt.Errorf("instance %s: %w", id, err)
		}
	}
	return nil
}

// primedMembers is the key under which the check of instance id's
// bindings leaves the members of group for the instance's read-back.
func primedMembers(group, id string) string { return "nsg-members|" + group + "|" + id }
