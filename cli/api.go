package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/cdstack/cdstack/cloud"
)

func apiCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "api",
		Usage:     "call any action of the CDS API",
		ArgsUsage: "ACTION [Key=Value …]",
		Description: "Values that parse as JSON are sent as JSON (numbers, lists, objects, true/false);\n" +
			"others as strings. GET actions send parameters in the query (lists as Key.0, Key.1),\n" +
			"POST actions as a JSON body. Prints the answer's JSON; an API error is printed as\n" +
			"Code: Message (HTTP n, RequestId …) and exits 1.",
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "body", Usage: "base parameters as a JSON object, or @FILE to read it from a file"},
			&ucli.BoolFlag{Name: "dry-run", Usage: "print the method, signed URL and body without sending"},
			&ucli.StringFlag{Name: "nonce", Usage: "fix SignatureNonce (to reproduce a signature)"},
			&ucli.StringFlag{Name: "timestamp", Usage: "fix Timestamp, as 2019-09-22T05:37:47Z (to reproduce a signature)"},
			&ucli.BoolFlag{Name: "list", Usage: "list every action with its method and service path"},
			&ucli.BoolFlag{Name: "wait", Usage: "when the answer has a TaskId, wait for the task and report how it ended on stderr"},
		},
		Action: runAPI,
	}
}

func runAPI(c *ucli.Context) error {
	out := c.App.Writer
	if c.Bool("list") {
		return listActions(out)
	}
	if c.NArg() == 0 {
		return errors.New("api: name an action (cdstack api --list shows them all)")
	}
	action := c.Args().First()
	spec, ok := cloud.LookupAction(action)
	if !ok {
		return fmt.Errorf("api: %w", unknownActionError(action))
	}
	params, err := apiParams(c.String("body"), c.Args().Tail())
	if err != nil {
		return fmt.Errorf("api %s: %w", action, err)
	}
	client, closeCloud, err := connect(c)
	if err != nil {
		return fmt.Errorf("api: %w", err)
	}
	defer closeCloud()
	if c.Bool("dry-run") || c.IsSet("nonce") || c.IsSet("timestamp") {
		if !c.Bool("dry-run") {
			return errors.New("api: --nonce and --timestamp only make sense with --dry-run (a live request needs a fresh nonce)")
		}
		return dryRun(c, client, spec, params)
	}
	resp, err := client.Call(c.Context, action, params, nil)
	if err != nil {
		var ae *cloud.APIError
		if errors.As(err, &ae) {
			msg := fmt.Sprintf("%s: %s (HTTP %d", ae.Code, ae.Message, ae.HTTPStatus)
			if ae.RequestID != "" {
				msg += ", RequestId " + ae.RequestID
			}
			return exitCode(1, errors.New(msg+")"))
		}
		return err // already names the action
	}
	if err := writeIndented(out, maskSensitive(resp.Body)); err != nil {
		return err
	}
	if c.Bool("wait") && resp.TaskID != "" {
		task, err := client.WaitTask(c.Context, resp.TaskID)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.App.ErrWriter, "cdstack: task %s %s (ResourceId %s)\n", task.ID, task.Status, task.ResourceID)
	}
	return nil
}

func unknownActionError(action string) error {
	if s := cloud.SuggestActions(action, 3); len(s) > 0 {
		return fmt.Errorf("unknown action %q; did you mean %s?", action, strings.Join(s, ", "))
	}
	return fmt.Errorf("unknown action %q (cdstack api --list shows them all)", action)
}

// apiParams merges --body and Key=Value arguments into one object.
func apiParams(body string, args []string) (map[string]any, error) {
	params := map[string]any{}
	if body != "" {
		raw := []byte(body)
		if strings.HasPrefix(body, "@") {
			b, err := os.ReadFile(body[1:])
			if err != nil {
				return nil, fmt.Errorf("--body: %w", err)
			}
			raw = b
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&params); err != nil {
			return nil, fmt.Errorf("--body: not a JSON object: %w", err)
		}
	}
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("argument %q: want Key=Value", a)
		}
		params[k] = jsonOrString(v)
	}
	return params, nil
}

// jsonOrString returns v decoded as JSON when it is a JSON number, list,
// object, boolean or quoted string, and v itself otherwise.
func jsonOrString(v string) any {
	dec := json.NewDecoder(strings.NewReader(v))
	dec.UseNumber()
	var x any
	if err := dec.Decode(&x); err != nil || dec.More() || x == nil {
		return v
	}
	if _, err := dec.Token(); err != io.EOF {
		return v
	}
	return x
}

func dryRun(c *ucli.Context, client *cloud.Client, spec cloud.ActionSpec, params map[string]any) error {
	nonce := c.String("nonce")
	ts := time.Now()
	if s := c.String("timestamp"); s != "" {
		t, err := time.Parse(cloud.TimestampFormat, s)
		if err != nil {
			return fmt.Errorf("--timestamp %q: want the form 2019-09-22T05:37:47Z", s)
		}
		ts = t
	}
	var p *cloud.Prepared
	var err error
	if nonce == "" && !c.IsSet("timestamp") {
		p, err = client.Prepare(spec.Key(), params)
	} else {
		if nonce == "" {
			nonce = "dry-run-nonce"
		}
		p, err = client.PrepareAt(spec.Key(), params, nonce, ts)
	}
	if err != nil {
		return err
	}
	out := c.App.Writer
	fmt.Fprintf(out, "%s %s\n", p.Method, p.URL)
	if p.Method == http.MethodPost {
		return writeIndented(out, maskSensitive(p.Body))
	}
	return nil
}

// maskSensitive replaces the value of every key that names a password or a
// private key (cloud.SensitiveKey) in a JSON body, at any depth, with
// "(sensitive)": a request's body and an answer (DescribeCACertificate's
// PirvateKey) alike.
func maskSensitive(body []byte) []byte {
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return body
	}
	changed := false
	var walk func(any) any
	walk = func(x any) any {
		switch t := x.(type) {
		case map[string]any:
			for k, e := range t {
				if cloud.SensitiveKey(k) {
					t[k], changed = "(sensitive)", true
				} else {
					t[k] = walk(e)
				}
			}
		case []any:
			for i, e := range t {
				t[i] = walk(e)
			}
		}
		return x
	}
	b, err := json.Marshal(walk(v))
	if err != nil || !changed {
		return body // as sent, in its own key order
	}
	return b
}

func writeIndented(w io.Writer, raw []byte) error {
	var buf bytes.Buffer
	if err := json.Indent(&buf, bytes.TrimSpace(raw), "", "  "); err != nil {
		_, err = w.Write(raw)
		return err
	}
	buf.WriteByte('\n')
	_, err := w.Write(buf.Bytes())
	return err
}

func listActions(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ACTION\tMETHOD\tPATH\tKIND")
	for _, a := range cloud.Actions() {
		kind := "write"
		if a.ReadOnly {
			kind = "read"
		}
		fmt.Fprintf(tw, "%s\t%s\t/%s/\t%s\n", a.Key(), a.Method, a.Service, kind)
	}
	return tw.Flush()
}
