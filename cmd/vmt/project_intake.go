package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/vmtproject/vmt"
)

// projectIntakeGroup is "vmt project intake": a project's intake mailbox,
// read over IMAP by `vmt serve`, and the messages it could not read.
var projectIntakeGroup = &group{name: "project intake", summary: "show or set the IMAP mailbox a project's reports arrive in by mail, and list what could not be read"}

func init() {
	projectGroup.add(&command{name: "intake", summary: projectIntakeGroup.summary, run: projectIntakeGroup.run})
	projectIntakeGroup.add(&command{name: "show", summary: "show a project's intake mailbox settings", run: projectIntakeShow})
	projectIntakeGroup.add(&command{name: "set", summary: "set a project's intake mailbox (the secrets by reference only)", run: projectIntakeSet})
	projectIntakeGroup.add(&command{name: "failures", summary: "list the messages of a project's mailbox that could not be read (kept unread there)", run: projectIntakeFailures})
}

func projectIntakeShow(ctx context.Context, e *env, args []string) error {
	const use = "PROJECT [--json]"
	fs := newFlags(e, "project intake show", use)
	var af apiFlags
	af.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, "project intake show "+use); err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	s, err := c.IntakeSettings(ctx, pos[0])
	if err != nil {
		return err
	}
	return intakeOut(e, &af, s)
}

func intakeOut(e *env, af *apiFlags, s *vmt.IntakeSettings) error {
	if af.json {
		return emitJSON(e.stdout, s)
	}
	return fields(e.stdout, "Enabled", strconv.FormatBool(s.Enabled), "Server", firstOf(s.Addr, "-"),
		"Security", firstOf(s.Security, "-"), "User", firstOf(s.User, "-"), "Password", firstOf(s.PasswordRef, "-"),
		"Folder", firstOf(s.Folder, "-"), "Intake key", firstOf(s.KeyRef, "-"), "Passphrase", firstOf(s.PassphraseRef, "-"))
}

// intakeSetUse is the usage of "project intake set", with an example:
// the secrets are named by reference, never given.
const intakeSetUse = `PROJECT --addr HOST:PORT --user NAME --password env:VAR|file:/path --key env:VAR|file:/path [--passphrase env:VAR|file:/path] [--security tls|starttls|plain] [--folder INBOX] [--disable]

example:
  vmt project intake set kata-containers --addr imap.example.org:993 --user security@example.org \
    --password file:/etc/vmt/imap-password --key file:/etc/vmt/intake-key.asc --passphrase env:VMT_INTAKE_PASSPHRASE

The server reads the references when it polls (vmt serve --intake-poll); only
an administrator may set them and the server's address.`

func projectIntakeSet(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "project intake set", intakeSetUse)
	var af apiFlags
	af.register(fs)
	var in vmt.IntakeSettings
	fs.StringVar(&in.Addr, "addr", "", "HOST:PORT of the IMAP server")
	fs.StringVar(&in.Security, "security", vmt.IntakeTLS, "tls (implicit, port 993), starttls (port 143) or plain (a server on this host only)")
	fs.StringVar(&in.User, "user", "", "the IMAP user")
	fs.StringVar(&in.PasswordRef, "password", "", "where the server reads the IMAP password: env:VAR or file:/path (never the password)")
	fs.StringVar(&in.Folder, "folder", "INBOX", "the folder the reports arrive in")
	fs.StringVar(&in.KeyRef, "key", "", "where the server reads the project's armored OpenPGP intake secret key: env:VAR or file:/path")
	fs.StringVar(&in.PassphraseRef, "passphrase", "", "where the server reads the intake key's passphrase, if it has one")
	disable := fs.Bool("disable", false, "keep the settings but do not read the mailbox")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, "project intake set "+intakeSetUse); err != nil {
		return err
	}
	in.Enabled = !*disable
	c, err := af.client(e)
	if err != nil {
		return err
	}
	s, err := c.SetIntakeSettings(ctx, pos[0], in)
	if err != nil {
		return err
	}
	if !af.json {
		fmt.Fprintf(e.stdout, "Intake settings of %s saved.\n", pos[0])
	}
	return intakeOut(e, &af, s)
}

func projectIntakeFailures(ctx context.Context, e *env, args []string) error {
	const use = "PROJECT [--json]"
	fs := newFlags(e, "project intake failures", use)
	var af apiFlags
	af.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, "project intake failures "+use); err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	fs2, err := c.IntakeFailures(ctx, pos[0])
	if err != nil {
		return err
	}
	if af.json {
		return emitList(e.stdout, fs2)
	}
	t := newTable(e.stdout, "LAST TRIED", "TRIES", "FROM", "SUBJECT", "MESSAGE", "REASON")
	for _, f := range fs2 {
		t.row(when(f.LastAt), strconv.Itoa(f.Attempts), f.From, clip(f.Subject, 40), clip(f.Key, 40), f.Reason)
	}
	return t.flush()
}
