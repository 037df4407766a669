package emulator

import "strings"

func init() {
	register("StopInstance", powerOne(opStop))
	register("StartInstance", powerOne(opStart))
	register("RebootInstance", powerOne(opReboot))
	register("StopInstances", powerMany(opStop, "StopInstances"))
	register("StartInstances", powerMany(opStart, "StartInstances"))
	register("RebootInstances", powerMany(opReboot, "RebootInstances"))
}

// A powerOp is what a power action needs of an instance and what it does:
// the status it must be in ("" for running or stopped), the status it shows
// meanwhile and the status it ends in.
type powerOp struct {
	action           string
	from, busy, next string
}

var (
	opStop   = powerOp{"StopInstance", statusRunning, statusStopping, statusStopped}
	opStart  = powerOp{"StartInstance", statusStopped, statusStarting, statusRunning}
	opReboot = powerOp{"RebootInstance", "", statusStarting, statusRunning}
)

// power starts one task that takes every instance of ids through op, or
// refuses them all if one cannot go: a batch is all or nothing.
func (s *Server) power(op powerOp, action string, ids []string) (any, string, *apiError) {
	if len(ids) == 0 {
		return nil, "", errIncomplete("InstanceIds")
	}
	var list []*Instance
	for _, id := range ids {
		in, e := s.instanceParam(params{"InstanceId": id})
		if e != nil {
			return nil, "", e
		}
		if op.from != "" && in.Status != op.from {
			return nil, "", errInstanceBusy(in.ID, in.Status)
		}
		list = append(list, in)
	}
	return nil, s.changeInstances(action, list, op.busy, op.next, nil), nil
}

// powerOne serves an action on one InstanceId.
func powerOne(op powerOp) handler {
	return func(s *Server, p params) (any, string, *apiError) {
		id, e := p.need("InstanceId")
		if e != nil {
			return nil, "", e
		}
		return s.power(op, op.action, []string{id})
	}
}

// powerMany serves a batch action on InstanceIds.
func powerMany(op powerOp, action string) handler {
	return func(s *Server, p params) (any, string, *apiError) {
		ids, e := idList(p, "InstanceIds")
		if e != nil {
			return nil, "", e
		}
		return s.power(op, action, ids)
	}
}

// idList reads ids given as the documents do, one text of comma-joined ids
// ("a,b"), or as a list.
func idList(p params, name string) ([]string, *apiError) {
	l, e := p.strings(name)
	if e != nil {
		return nil, e
	}
	var out []string
	for _, v := range l {
		for _, id := range strings.Split(v, ",") {
			if id = strings.TrimSpace(id); id != "" {
				out = append(out, id)
			}
		}
	}
	return out, nil
}
