package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	ucli "github.com/urfave/cli/v2"
)

// Version is set at build time with -ldflags "-X github.com/cdstack/cdstack/cli.Version=…".
var Version = "dev"

// An exitError carries an exit code other than 1 and, optionally, nothing to print.
type exitError struct {
	code int
	err  error // nil: the command already said everything
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// exitCode returns err wrapped so Main exits with code.
func exitCode(code int, err error) error { return &exitError{code: code, err: err} }

// NewApp builds the command tree writing to stdout and stderr.
func NewApp(stdin io.Reader, stdout, stderr io.Writer) *ucli.App {
	app := &ucli.App{
		Name:                 "cdstack",
		Usage:                "declarative infrastructure for the CapitalOnline (CDS) cloud",
		Version:              Version,
		Reader:               stdin,
		Writer:               stdout,
		ErrWriter:            stderr,
		EnableBashCompletion: true,
		HideHelpCommand:      true,
		// Every list flag is repeated, never split on commas: a --var value
		// (a password) or an address key may hold one.
		DisableSliceFlagSeparator: true,
		Flags:                     globalFlags(),
		Commands: []*ucli.Command{
			apiCommand(),
			emulatorCommand(),
			validateCommand(),
			schemaCommand(),
			stateCommand(),
			planCommand(),
			applyCommand(),
			destroyCommand(),
			driftCommand(),
			graphCommand(),
			outputCommand(),
			importCommand(),
			showCommand(),
			costCommand(),
			refreshCommand(),
			completionCommand(),
		},
		Before: checkGlobalFlags,
		// Errors are printed by Main, once.
		ExitErrHandler: func(*ucli.Context, error) {},
		OnUsageError:   usageError,
	}
	setUsageErrors(app.Commands)
	return app
}

// usageError turns a flag parsing error into one line instead of the full help.
func usageError(c *ucli.Context, err error, _ bool) error {
	name := "cdstack"
	if c.Command != nil && c.Command.FullName() != "" && c.Command.FullName() != c.App.Name {
		name += " " + c.Command.FullName()
	}
	return fmt.Errorf("%w%s (see %s --help)", err, flagSuggestion(c, err), name)
}

func setUsageErrors(cmds []*ucli.Command) {
	for _, c := range cmds {
		if c.OnUsageError == nil {
			c.OnUsageError = usageError
		}
		if c.Before == nil {
			c.Before = checkCommandFlags
		}
		c.HideHelpCommand = true
		setUsageErrors(c.Subcommands)
	}
}

// Main runs the app on args and returns the process exit code. The first
// Ctrl-C cancels the command's context; a second one exits at once.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := NewApp(stdin, stdout, stderr)
	if err := unknownCommand(app, args); err != nil {
		fmt.Fprintf(stderr, "cdstack: %v\n", err)
		return 1
	}
	name := commandName(app, args)
	ctx, stop := interruptContext(stderr, changesNothing[name], name == "emulator")
	defer stop()
	err := app.RunContext(ctx, permuteArgs(app, args))
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(stderr, "cdstack: %v\n", ee.err)
		}
		return ee.code
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		fmt.Fprintln(stderr, "cdstack: interrupted")
		return 130
	}
	fmt.Fprintf(stderr, "cdstack: %v\n", err)
	return 1
}

// changesNothing are the commands that change neither the cloud nor the
// state: the first interrupt (SIGINT or SIGTERM) ends them at once.
var changesNothing = map[string]bool{"validate": true, "plan": true, "drift": true, "graph": true, "schema": true, "output": true, "show": true, "cost": true}

// interruptContext cancels the returned context on the first SIGINT or
// SIGTERM and exits on the second; with readOnly, the first exits at once;
// a server (emulator serve) is stopped without the words about tasks.
func interruptContext(stderr io.Writer, readOnly, server bool) (context.Context, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	say := func(msg string) {
		if isTerminal(stderr) {
			msg = "\r\033[K" + msg // on its own line, not after the progress bar
		}
		fmt.Fprintln(stderr, msg)
	}
	go func() {
		select {
		case <-sig:
			if readOnly {
				say("cdstack: interrupted; nothing was changed")
				os.Exit(130)
			}
			if server {
				// emulator serve: it says itself when it has stopped.
				cancel()
				break
			}
			say("cdstack: interrupt received; starting nothing more and no longer waiting on tasks: the journal keeps what is in flight for the next run (press Ctrl-C again to exit at once)")
			cancel()
		case <-done:
			return
		}
		select {
		case <-sig:
			say("cdstack: second interrupt; exiting now")
			os.Exit(130)
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(sig)
		close(done)
		cancel()
	}
}
