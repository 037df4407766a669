package emulator

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Task ops.
const (
	opCreate = "create"
	opUpdate = "update"
	opDelete = "delete"
)

// newTask starts a task over targets. Whether it will fail is decided now,
// so a handler whose task will fail leaves the world as it was: a failed
// change never half-happens.
func (s *Server) newTask(typ string, targets ...Target) *Task {
	w := s.world
	now := s.now()
	lat := s.opts.TaskLatency
	if j := s.opts.TaskJitter; j > 0 {
		lat += time.Duration(w.rng.Int64N(int64(j)))
	}
	t := &Task{ID: w.newID(), Type: typ, Targets: targets, Created: now, Due: now.Add(lat)}
	if s.opts.TaskFailureRate > 0 && w.rng.Float64() < s.opts.TaskFailureRate {
		t.Fail = true
	}
	w.Tasks[t.ID] = t
	w.pending[t.ID] = t
	w.touch("task", t.ID)
	for _, tg := range targets {
		if b := w.busy(tg.Kind, tg.ID); b != nil {
			b.TaskID = t.ID
			w.touch(tg.Kind, tg.ID)
		}
	}
	return t
}

// finishedTask records an operation that took effect at once, so callers
// still get a TaskId to wait on.
func (s *Server) finishedTask(typ string, targets ...Target) *Task {
	now := s.now()
	t := &Task{ID: s.world.newID(), Type: typ, Targets: targets, Created: now, Due: now, Status: "FINISH"}
	s.world.Tasks[t.ID] = t
	s.world.touch("task", t.ID)
	return t
}

// markBusy puts a resource in a transitional status until the task settles
// and says what status it will then have.
func markBusy(b *Busy, status, next string) {
	b.Status, b.NextStatus = status, next
}

// settle completes every task whose time has come.
func (s *Server) settle() {
	w := s.world
	now := s.now()
	for id, t := range w.pending {
		if now.Before(t.Due) {
			continue
		}
		delete(w.pending, id)
		t.Status = "FINISH"
		if t.Fail {
			t.Status = "ERROR"
		}
		w.touch("task", t.ID)
		for _, tg := range t.Targets {
			s.settleTarget(t, tg, now)
		}
	}
}

func (s *Server) settleTarget(t *Task, tg Target, now time.Time) {
	w := s.world
	if tg.Kind == "template" {
		tpl, ok := w.Templates[tg.ID]
		if !ok {
			return
		}
		switch {
		case tg.Op == opCreate && t.Fail, tg.Op == opDelete && !t.Fail:
			delete(tpl.Regions, tg.Region)
		case tg.Op == opCreate:
			tpl.Regions[tg.Region] = "normal"
		case tg.Op == opDelete:
			tpl.Regions[tg.Region] = "normal"
		}
		if len(tpl.Regions) == 0 {
			delete(w.Templates, tpl.ID)
			w.ledgerClose(tpl.ID, now)
		}
		w.touch("template", tpl.ID)
		return
	}
	b := w.busy(tg.Kind, tg.ID)
	if b == nil || b.TaskID != t.ID {
		return
	}
	if tg.Op == opCreate && t.Fail && tg.Kind == "instance" && s.opts.KeepFailedInstances {
		b.Status, b.NextStatus, b.TaskID = statusError, "", ""
		w.touch(tg.Kind, tg.ID)
		return
	}
	if (tg.Op == opCreate && t.Fail) || (tg.Op == opDelete && !t.Fail) {
		w.remove(tg.Kind, tg.ID, now)
		return
	}
	b.Status, b.NextStatus, b.TaskID = b.NextStatus, "", ""
	w.touch(tg.Kind, tg.ID)
}

// taskStatus is what DescribeTask reports.
func (s *Server) taskStatus(t *Task) string {
	if t.Status != "" {
		return t.Status
	}
	if s.now().Before(t.Created.Add(t.Due.Sub(t.Created) / 10)) {
		return "NEW"
	}
	return "DOING"
}

// describeTask answers DescribeTask.
func (s *Server) describeTask(p params) (any, string, *apiError) {
	id, e := p.need("TaskId")
	if e != nil {
		return nil, "", e
	}
	t, ok := s.world.Tasks[id]
	if !ok {
		return nil, "", errMalformed("InvalidTaskID.Malformed", "TaskId")
	}
	// ResourceId names the targets of the task's first kind: the instances of
	// a CreateInstance, the VDC (not the public network bought with it) of a
	// CreateVdc, the template (not its source instance) of a CreateTemplate.
	var ids []string
	for _, tg := range t.Targets {
		if tg.Kind == t.Targets[0].Kind && !slices.Contains(ids, tg.ID) {
			ids = append(ids, tg.ID)
		}
	}
	v := taskView{Status: s.taskStatus(t), ResourceID: strings.Join(ids, ","), ResourceIDs: orEmpty(ids), TaskType: t.Type}
	if v.Status == "ERROR" {
		v.why = taskFailure(t)
	}
	return v, id, nil
}

// busy returns the status block of a resource, or nil.
func (w *World) busy(kind, id string) *Busy {
	switch kind {
	case "vdc":
		if r, ok := w.VDCs[id]; ok {
			return &r.Busy
		}
	case "public":
		if r, ok := w.Publics[id]; ok {
			return &r.Busy
		}
	case "private":
		if r, ok := w.Privates[id]; ok {
			return &r.Busy
		}
	case "instance":
		if r, ok := w.Instances[id]; ok {
			return &r.Busy
		}
	case "database":
		if r, ok := w.Databases[id]; ok {
			return &r.Busy
		}
	case "lb":
		if r, ok := w.LBs[id]; ok {
			return &r.Busy
		}
	}
	return nil
}

// remove deletes a resource and everything that hangs off it.
func (w *World) remove(kind, id string, now time.Time) {
	switch kind {
	case "vdc":
		delete(w.VDCs, id)
	case "public":
		if pn, ok := w.Publics[id]; ok {
			for _, seg := range pn.Segments {
				w.ledgerClose(seg.ID, now)
			}
		}
		delete(w.Publics, id)
		w.ledgerClose(id, now)
	case "private":
		delete(w.Privates, id)
	case "instance":
		in, ok := w.Instances[id]
		if !ok {
			return
		}
		w.noteReleased(in)
		if in.PublicNIC != nil {
			w.releaseIP(in.PublicNIC.NetworkID, in.PublicNIC.IP)
		}
		for _, n := range in.PrivateNICs {
			w.releaseIP(n.NetworkID, n.IP)
		}
		for _, gid := range in.SecurityGroups {
			if g, ok := w.Groups[gid]; ok {
				g.unbind(id)
				w.touch("secgroup", gid)
			}
		}
		delete(w.Instances, id)
		w.ledgerClose(id, now)
	case "database":
		if db, ok := w.Databases[id]; ok {
			w.releaseIP(db.PrivateID, db.IP)
			delete(w.Databases, id)
		}
	case "lb":
		w.removeLB(id)
	}
	w.touch(kind, id)
}

// orEmpty returns list, or an empty list for nil, so JSON shows [] not null.
func orEmpty[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

// taskFailure is the Message of a failed task's DescribeTask: what the
// service says when a task fails for want of resources.
func taskFailure(t *Task) string {
	return fmt.Sprintf("no resources available to complete the task %s (emulated failure)", t.ID)
}

// SetTaskFailureRate changes the fraction of new tasks that end in ERROR,
// so a test can build a world first and make its tasks fail after.
func (s *Server) SetTaskFailureRate(rate float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.TaskFailureRate = rate
}
