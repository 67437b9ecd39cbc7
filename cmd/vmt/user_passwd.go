package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/vmtproject/vmt"
)

func init() {
	userGroup.add(&command{name: "passwd", summary: "set your own password for the web pages", run: userPasswd})
}

// userPasswd sets the password of the account the token stands for. At
// a terminal it asks for the current password (empty for an account that
// has none yet), then the new one twice, without echo. From a pipe it
// reads the new password from one line, or the current one from the first
// line and the new one from the second. The new one is checked against
// the server's limits before it is sent; the server checks it again.
func userPasswd(ctx context.Context, e *env, args []string) error {
	const use = "\n\nAt a terminal it asks for your current password (empty if you have none yet)\n" +
		"and the new one twice. From standard input: the new password on one line, or\n" +
		"the current one on the first line and the new one on the second.\n\n" +
		"example: vmt user passwd\n" +
		"example: printf '%s\\n%s\\n' \"$OLD\" \"$NEW\" | vmt user passwd"
	fs := newFlags(e, "user passwd", use)
	var af apiFlags
	af.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, "user passwd"); err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	var current, next string
	if tty, ok := e.stdin.(*os.File); ok && isTerminal(tty) {
		if current, next, err = askPasswords(e, tty); err != nil {
			return err
		}
	} else if current, next, err = readPasswords(e.stdin); err != nil {
		return err
	}
	if err := vmt.CheckPassword("password", next); err != nil {
		return usagef("the new password %s", vmt.ErrorMessage(err))
	}
	me, err := c.Me(ctx)
	if err != nil {
		return err
	}
	p := vmt.UserPatch{Password: &next}
	if current != "" {
		p.CurrentPassword = &current
	}
	if _, err := c.UpdateUser(ctx, me.ID, p); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "The password of %s is set: sign in to the pages with it.\n", me.Email)
	return nil
}

// readPasswords reads one or two lines: the new password, or the current
// and the new one.
func readPasswords(in io.Reader) (current, next string, err error) {
	sc := bufio.NewScanner(io.LimitReader(in, 2*(vmt.MaxPasswordLen+2)))
	sc.Buffer(make([]byte, 0, 4096), 2*(vmt.MaxPasswordLen+2))
	var ls []string
	for sc.Scan() {
		ls = append(ls, strings.TrimRight(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil {
		return "", "", fmt.Errorf("reading standard input: %w", err)
	}
	switch len(ls) {
	case 1:
		return "", ls[0], nil
	case 2:
		return ls[0], ls[1], nil
	case 0:
		return "", "", usagef("standard input is empty: give the new password on one line")
	}
	return "", "", usagef("standard input has %d lines: give the new password, or the current one and the new one, one a line", len(ls))
}

// askPasswords asks at the terminal tty, with echo off.
func askPasswords(e *env, tty *os.File) (current, next string, err error) {
	r := bufio.NewReader(tty)
	ask := func(prompt string) (string, error) {
		fmt.Fprint(e.stderr, prompt)
		restore := noEcho(tty)
		line, err := r.ReadString('\n')
		restore()
		fmt.Fprintln(e.stderr)
		if err != nil && line == "" {
			return "", fmt.Errorf("reading the password: %w", err)
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	if current, err = ask("Current password (empty if you have none yet): "); err != nil {
		return "", "", err
	}
	if next, err = ask("New password: "); err != nil {
		return "", "", err
	}
	again, err := ask("New password again: ")
	if err != nil {
		return "", "", err
	}
	if again != next {
		return "", "", usagef("the two new passwords differ")
	}
	return current, next, nil
}

// isTerminal reports whether f is a character device (a terminal), the
// one place where the password is asked for rather than read.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// noEcho turns the terminal's echo off with stty, which every Unix has,
// and returns what turns it back on. Without stty the password is read
// with echo, which the prompt's user sees at once.
func noEcho(tty *os.File) func() {
	off := exec.Command("stty", "-echo")
	off.Stdin = tty
	if off.Run() != nil {
		return func() {}
	}
	return func() {
		on := exec.Command("stty", "echo")
		on.Stdin = tty
		_ = on.Run()
	}
}
