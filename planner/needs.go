package planner

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/state"
)

// A NeedError says a planned change would call an action without a
// sensitive property the action requires (the instance's password for
// ResetImage, a custom image's password for CreateInstance): the plan is
// refused before anything changes, naming what to set.
type NeedError struct {
	Addr   string
	Need   resources.Need
	Change Action
}

func (e *NeedError) Error() string {
	return fmt.Sprintf("%s: %s needs %s, which the stack does not give: set properties.%s to a sensitive variable (%s: ${var.%s}) and give the variable a value",
		e.Addr, e.Need.Action, needText(e.Need.Field), e.Need.Field, e.Need.Field, needVar(e.Need.Field))
}

func needText(field string) string {
	switch field {
	case "password":
		return "the instance's password"
	case "image_password":
		return "the custom image's password"
	}
	return field
}

// needVar suggests a variable name for field.
func needVar(field string) string {
	switch field {
	case "password":
		return "admin_password"
	}
	return field
}

// checkNeeds refuses a change whose actions need a sensitive property the
// stack leaves out (see resources.SecretNeeder).
func checkNeeds(kind resources.Kind, addr string, pl *planned) error {
	sn, ok := kind.(resources.SecretNeeder)
	if !ok || pl == nil || pl.change == nil {
		return nil
	}
	c := pl.change
	var needs []resources.Need
	switch c.Action {
	case Create, Replace:
		needs = sn.Needs(pl.desired, nil, true)
	case Update:
		var fields []string
		for _, f := range c.Fields {
			fields = append(fields, f.Path)
		}
		needs = sn.Needs(pl.desired, fields, false)
	}
	for _, n := range needs {
		if pl.secrets[n.Field] == "" {
			return &NeedError{Addr: addr, Need: n, Change: c.Action}
		}
	}
	return nil
}

// A DeletionProtectedError refuses a plan that deletes (or replaces)
// instances whose deletion protection is on: the cloud would refuse the
// delete halfway through the apply.
type DeletionProtectedError struct{ Addrs []string }

func (e *DeletionProtectedError) Error() string {
	return fmt.Sprintf("deletion_protection is on for %s: the cloud refuses to delete it; set deletion_protection: false, apply, then plan this again",
		strings.Join(e.Addrs, ", "))
}

// checkDeletionProtection refuses deletes and replacements of records
// whose deletion_protection is on.
func checkDeletionProtection(p *Document, snap *state.Snapshot) error {
	var addrs []string
	for _, c := range p.Changes {
		if c.Action != Delete && c.Action != Replace {
			continue
		}
		rec := snap.Resources[c.Addr]
		if rec == nil || rec.Missing {
			continue
		}
		if on, _ := rec.Inputs["deletion_protection"].(bool); on {
			addrs = append(addrs, c.Addr)
		}
	}
	if len(addrs) == 0 {
		return nil
	}
	sort.Strings(addrs)
	return &DeletionProtectedError{Addrs: addrs}
}
