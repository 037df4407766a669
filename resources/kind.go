package resources

import (
	"context"
	"sort"

	"github.com/cdstack/cdstack/cloud"
)

// An Observation is a resource as the cloud shows it.
type Observation struct {
	ID string
	// Busy is set while a task is changing the resource.
	Busy bool
	// Failed is set when the cloud shows the resource in a failure status
	// (an instance listed as "error"): it is replaced.
	Failed bool
	// Attrs are the observable properties, shaped like the stack's.
	Attrs Inputs
	// Outputs are the attributes the kind exports (id, status, …).
	Outputs map[string]any
	// Raw is the API's own view (*cloud.Instance, *LivePublic, *LiveGroup, …)
	// with the ids an update needs (disks, interfaces, segments, rules).
	Raw any
}

// Recorded is what the state remembers of a resource.
type Recorded struct {
	Inputs  Inputs
	Outputs map[string]any
}

// unobserved fills attrs with what the API did not show, from recorded:
// the kind's unobservable fields, and every field this answer left out
// (the current service shows no instance image or type, no public network
// billing method). A field the answer did show is never overwritten.
func unobserved(k Kind, attrs Inputs, recorded *Recorded) {
	if recorded == nil {
		return
	}
	for _, f := range k.Fields() {
		if (f.Unobservable || !attrs.Has(f.Name)) && recorded.Inputs.Has(f.Name) {
			attrs[f.Name] = Canon(recorded.Inputs[f.Name])
		}
	}
}

// ObservedInputs returns recorded with every observable field the cloud
// shows differently replaced by the cloud's value: what a record must say
// after a change whose outcome was not seen (an interrupted update). What
// the cloud cannot show stays as recorded.
func ObservedInputs(k Kind, recorded, live Inputs) Inputs {
	out := copyInputs(recorded)
	for _, f := range k.Fields() {
		if !f.Unobservable && !f.Sensitive && live.Has(f.Name) && k.Differs(f.Name, out, live) {
			out[f.Name] = Canon(live[f.Name])
		}
	}
	return out
}

// A Field describes one property of a kind.
type Field struct {
	Name string
	// Update names the API action that changes the field in place; empty
	// means a change replaces the resource; RecordOnly means nothing in the
	// cloud changes (the value only matters at creation).
	Update string
	// Destructive in-place updates lose data (ResetImage reinstalls).
	Destructive bool
	// Sensitive fields are never shown or stored in clear.
	Sensitive bool
	// Unobservable fields are not visible in the API; their live value is
	// taken from the state.
	Unobservable bool
}

// A Need is a sensitive property an API action requires: Field is the
// property (password, image_password), Action the action.
type Need struct {
	Field, Action string
}

// A SecretNeeder is a Kind whose actions require sensitive properties the
// stack may leave out: Needs says which a create (create true) or an update
// of fields would send. The planner refuses a plan that lacks one, before
// anything changes.
type SecretNeeder interface {
	Needs(desired Inputs, fields []string, create bool) []Need
}

// RecordOnly is the Update of a field that is only recorded.
const RecordOnly = "(recorded only)"

// A Waiter waits for a task; the executor journals the task id first.
type Waiter func(ctx context.Context, taskID string) (*cloud.Task, error)

// A Kind is one resource kind. See the package doc for the contract.
type Kind interface {
	Name() string
	// Fields lists the properties in a stable order.
	Fields() []Field
	// Normalize fills defaults into desired properties.
	Normalize(in Inputs, region string) Inputs
	// Observe reads the resource id from a Live view; nil when it is gone.
	// recorded (nil for a resource not in the state) supplies the fields the
	// API cannot show.
	Observe(l *Live, id string, recorded *Recorded) *Observation
	// Differs reports whether the desired value of field differs from the
	// actual one (auto addresses match any address, …).
	Differs(field string, desired, actual Inputs) bool
	// Replaces reports whether changing field from actual to desired needs a
	// new resource; by default, when the field has no Update action.
	Replaces(field string, desired, actual Inputs) bool
	// Scope is where the resource's name must be unique (its VDC, or "").
	Scope(in Inputs) string
	// FindByName returns the id of a live resource named like in, in its scope.
	FindByName(l *Live, in Inputs) string
	// Create makes the resource and returns its id.
	Create(ctx context.Context, c *cloud.Client, in Inputs, secrets map[string]string, wait Waiter) (string, error)
	// Update changes fields from the live resource (as just read back, so
	// Update needs no read of its own) to to, in place.
	Update(ctx context.Context, c *cloud.Client, id string, live *Observation, to Inputs, fields []string, secrets map[string]string, wait Waiter) error
	// Delete removes the resource.
	Delete(ctx context.Context, c *cloud.Client, id string, in Inputs, wait Waiter) error
}

// A ReplaceExplainer is a Kind that says why a field forces a replacement
// when the field's name alone does not ("a system disk only grows").
type ReplaceExplainer interface {
	ReplaceReason(field string, desired, actual Inputs) string
}

// An Upgrader is a Kind whose records may hold inputs in an older shape
// (security group rules written before the NSG API). Upgrade returns them
// in the current shape, meaning the same; refresh records that.
type Upgrader interface {
	Upgrade(recorded Inputs) Inputs
}

// Registry holds the kinds by name.
var Registry = map[string]Kind{}

func register(k Kind) { Registry[k.Name()] = k }

// Names returns the registered kind names sorted.
func Names() []string {
	var out []string
	for n := range Registry {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// FieldOf returns the named field of k.
func FieldOf(k Kind, name string) (Field, bool) {
	for _, f := range k.Fields() {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// defaultReplaces is the Field table's answer.
func defaultReplaces(k Kind, field string) bool {
	f, ok := FieldOf(k, field)
	return ok && f.Update == ""
}

// defaultDiffers compares one field with plain equality; an absent desired
// value means "whatever the cloud chose".
func defaultDiffers(field string, desired, actual Inputs) bool {
	if !desired.Has(field) {
		return false
	}
	return !Equal(desired[field], actual[field])
}

// waitID waits for taskID and returns the task's resource id (or fallback
// when the task names none).
func waitID(ctx context.Context, wait Waiter, taskID, fallback string) (string, error) {
	if taskID == "" {
		return fallback, nil
	}
	t, err := wait(ctx, taskID)
	if err != nil {
		return "", err
	}
	if t.ResourceID != "" {
		return t.ResourceID, nil
	}
	return fallback, nil
}

// stepper returns a function that waits for the task a call returned (when
// it returned one), so a step reads step(c.Action(ctx, req)).
func stepper(ctx context.Context, wait Waiter) func(string, error) error {
	return func(task string, err error) error { return waitAll(ctx, wait, task, err) }
}

// waitAll waits for a task when there is one.
func waitAll(ctx context.Context, wait Waiter, taskID string, err error) error {
	if err != nil {
		return err
	}
	if taskID == "" {
		return nil
	}
	_, err = wait(ctx, taskID)
	return err
}

// A SecretSplitter is a Kind whose sensitive values sit inside a field (a
// MySQL account's password in its accounts): SplitSecrets takes them out of
// the field's value and names each ("accounts.app.password"), so inputs,
// plans and state never hold them.
type SecretSplitter interface {
	SplitSecrets(field string, v any) (clean any, secrets map[string]string)
}

// An OutputUpdater is a Kind some of whose outputs (exported attributes)
// an update in place changes: UpdatedOutputs names those an update of
// fields changes (an instance's private_ips when ModifyIpAddress moves an
// address). The planner takes them as known only after the update.
type OutputUpdater interface {
	UpdatedOutputs(fields []string) []string
}
