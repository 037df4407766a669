package planner

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/cdstack/cdstack/resources"
)

// templatesFirst keeps a template's replacement from deleting it while an
// instance of the stack is installed from it: the cloud refuses to delete
// a template that is an instance's image. When the plan reinstalls each
// such instance from the new template (its image refers to the template's
// id, so it changes with it), the replacement creates first, as
// create_before_destroy does: the new template is made, the instances are
// reinstalled from it (ResetImage), then the old one is deleted
// (linkDeletes orders the delete after those updates). When the new one
// cannot be created first (it would take the old one's name, and the API
// cannot rename a template), the plan is refused: applied, the delete
// would fail with nothing changed but the time spent.
func templatesFirst(in Input, work map[string]*planned) error {
	kind := resources.Registry["template"]
	for _, addr := range slices.Sorted(maps.Keys(work)) {
		pl := work[addr]
		c := pl.change
		rec := in.Snapshot.Resources[addr]
		if pl.resource == nil || pl.resource.Kind != "template" || c.Action != Replace || c.CreateBeforeDestroy ||
			pl.resource.DeleteFirst || pl.obs == nil || rec == nil || rec.Missing {
			continue
		}
		var users []string
		for _, ia := range slices.Sorted(maps.Keys(work)) {
			ipl := work[ia]
			irec := in.Snapshot.Resources[ia]
			if ipl.resource == nil || ipl.resource.Kind != "instance" || irec == nil || irec.Inputs["image"] != rec.ID {
				continue
			}
			if ipl.change.Action == Update && unknownFrom(ipl.desired["image"], addr) {
				users = append(users, ia)
			}
		}
		if len(users) == 0 {
			continue
		}
		which := strings.Join(users, ", ")
		if err := createFirst(c, kind, pl.desired, pl.obs); err != nil {
			c.CreateBeforeDestroy, c.TempName = false, ""
			return fmt.Errorf("%s: create_before_destroy, implied: %s is installed from it, and the cloud refuses to delete a template an instance uses: %s",
				addr, which, strings.Replace(err.Error(), "give the new one another name, or remove create_before_destroy", "give the new one another name", 1))
		}
		c.Detail += fmt.Sprintf("; created before the old one is deleted (create_before_destroy, implied): %s is installed from it and is reinstalled from the new one first (the cloud refuses to delete a template an instance uses)", which)
	}
	return nil
}
