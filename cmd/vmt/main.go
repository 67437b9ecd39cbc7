// Command vmt runs a vulnerability management process: `vmt serve` runs the
// web UI, the JSON API and the worker; the other subcommands are the
// coordinator's command line, in the style of gh.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/vmtproject/vmt"
)

// Exit codes that scripts can rely on.
const (
	exitOK          = 0
	exitError       = 1 // anything not listed below
	exitUsage       = 2 // bad flags or arguments, or input the server refused as invalid
	exitNotFound    = 3
	exitAuth        = 4 // not signed in, or not allowed
	exitConflict    = 5 // the change clashes with the current state (e.g. an illegal transition)
	exitAuditBroken = 6 // vmt audit verify found a break in the chain
	exitRateLimited = 7
	exitUnavailable = 8 // the store cannot work now (disk full, read-only, database down): try again later
)

// env is what a command reads and writes, injected for tests.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

// command is one subcommand; each lives in a file of its own.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

var commands []*command

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:])
	stop()
	os.Exit(code)
}

// run executes the subcommand named by args[0] and returns the exit code.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(e.stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands {
		if c.name == args[0] {
			err := c.run(ctx, e, args[1:])
			if err != nil && !errors.Is(err, flag.ErrHelp) {
				fmt.Fprintf(e.stderr, "vmt %s: %s\n", c.name, describe(err))
			}
			return exitCode(err)
		}
	}
	fmt.Fprintf(e.stderr, "vmt: unknown command %q\n", args[0])
	usage(e.stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: vmt <command> [flags] [arguments]\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-16s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'vmt <command> -h' for the flags of a command.")
}

// usageError is a mistake in the command line itself.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// describe renders an error for a person: the domain message with its field.
func describe(err error) string {
	var ve *vmt.Error
	if errors.As(err, &ve) {
		if ve.Field != "" {
			return ve.Field + ": " + ve.Message
		}
		return ve.Message
	}
	return err.Error()
}

func exitCode(err error) int {
	var ue *usageError
	var ce *vmt.ChainError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		return exitUsage
	case errors.As(err, &ce):
		return exitAuditBroken
	}
	switch vmt.ErrorCode(err) {
	case vmt.EINVALID, vmt.ETOOLARGE:
		return exitUsage
	case vmt.ENOTFOUND:
		return exitNotFound
	case vmt.EUNAUTHENTICATED, vmt.EFORBIDDEN:
		return exitAuth
	case vmt.ECONFLICT:
		return exitConflict
	case vmt.ERATELIMIT:
		return exitRateLimited
	case vmt.EUNAVAILABLE:
		return exitUnavailable
	}
	return exitError
}

// newFlags returns a flag set for a subcommand that reports errors as
// usage errors instead of exiting.
func newFlags(e *env, name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet("vmt "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: vmt %s %s\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags anywhere among the arguments, as gh does
// ("vmt report show 12 --json"), and returns the positional arguments. A
// flag error becomes a usage error; "--" ends the flags.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usagef("%v", err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
