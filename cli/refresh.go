package cli

import (
	"fmt"
	"github.com/cdstack/cdstack/cloud"

	ucli "github.com/urfave/cli/v2"

	"github.com/cdstack/cdstack/executor"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/view"
)

func refreshCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "refresh",
		Usage: "record in the state what the cloud now shows (never changes the cloud)",
		Description: "Takes the lock, settles what an interrupted run left, shows which recorded values differ\n" +
			"from the cloud and which recorded resources are gone, asks (or --auto-approve), then records\n" +
			"what the cloud shows and forgets what is gone. Afterwards drift is clean; the next plan\n" +
			"shows what it takes to bring the cloud back to the stack.",
		Flags:  append(append(stackFlags(), stateFlags()...), &ucli.BoolFlag{Name: "auto-approve", Usage: "do not ask for confirmation"}),
		Action: runRefresh,
	}
}

func runRefresh(c *ucli.Context) error {
	s, err := mustStack(c)
	if err != nil {
		return err
	}
	st, snap, err := lockedSnapshot(c)
	if err != nil {
		return err
	}
	defer st.Close()
	announce(c, st)
	client, closeCloud, err := connect(c, cloud.WithDefaultRegion(s.Region))
	if err != nil {
		return err
	}
	defer closeCloud()
	live, err := resources.Refresh(c.Context, client, refreshScope(s, snap))
	if err != nil {
		return err
	}
	r := executor.RefreshRecords(snap, live)
	out := c.App.Writer
	if r.Empty() {
		fmt.Fprintln(out, "No changes. The state matches the cloud.")
		return nil
	}
	if len(r.Items) > 0 {
		view.DriftText(out, r.Items, style(c))
	}
	fmt.Fprintf(out, "\nRefresh will record what the cloud shows for %d resource(s) and forget %d that no longer exist. The cloud is not changed.\n",
		len(r.Updated), len(r.Forgotten))
	if !c.Bool("auto-approve") {
		if err := confirm(c, "Do you want to record these values in the state? Only 'yes' is accepted: "); err != nil {
			return err
		}
	}
	if _, err := st.Commit(c.Context, r.Change); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nRefresh complete! Records: %d updated, %d forgotten.\n", len(r.Updated), len(r.Forgotten))
	return nil
}
