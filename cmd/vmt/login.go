package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"

	vmthttp "github.com/vmtproject/vmt/http"
)

func init() {
	commands = append(commands, &command{name: "login", summary: "check an API token with a server and save both for the other commands", run: login})
}

func login(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "login", "--server URL [--token TOKEN | --token -]")
	server := fs.String("server", "", "server URL, e.g. https://vmt.example.org (env VMT_SERVER)")
	token := fs.String("token", "", "API token; '-' reads it from standard input, which keeps it out of the shell history (env VMT_TOKEN)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, "login --server URL [--token TOKEN | --token -]"); err != nil {
		return err
	}
	srv := strings.TrimRight(firstOf(*server, e.getenv("VMT_SERVER")), "/")
	if srv == "" {
		return usagef("--server is required")
	}
	if err := checkServerURL(srv); err != nil {
		return err
	}
	tok, err := loginToken(e, *token)
	if err != nil {
		return err
	}
	if plainRemote(srv) {
		fmt.Fprintf(e.stderr, "vmt login: warning: %s is not https; the token travels unencrypted\n", srv)
	}
	u, err := (&vmthttp.Client{BaseURL: srv, Token: tok}).Me(ctx)
	if err != nil {
		return err
	}
	path, err := saveConfig(e, cliConfig{Server: srv, Token: tok})
	if err != nil {
		return fmt.Errorf("saving the configuration: %w", err)
	}
	fmt.Fprintf(e.stdout, "Signed in to %s as %s (user %d, %s).\nSaved to %s.\n", srv, who(u.Name, u.Email), u.ID, u.Role, path)
	return nil
}

// loginToken returns the token from the flag, standard input ("-") or
// VMT_TOKEN.
func loginToken(e *env, flagValue string) (string, error) {
	tok := flagValue
	if tok == "-" {
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && line == "" {
			return "", usagef("no token on standard input")
		}
		tok = line
	}
	if tok == "" {
		tok = e.getenv("VMT_TOKEN")
	}
	tok = strings.TrimSpace(tok)
	if tok == "" {
		return "", usagef("give the token with --token TOKEN, --token - (standard input) or VMT_TOKEN")
	}
	return tok, nil
}

// plainRemote reports whether server is plain http to another machine.
func plainRemote(server string) bool {
	u, err := url.Parse(server)
	if err != nil || u.Scheme != "http" {
		return false
	}
	h := u.Hostname()
	ip := net.ParseIP(h)
	return h != "localhost" && (ip == nil || !ip.IsLoopback())
}

// who names a user as "Name <email>", or the bare email without a name.
func who(name, email string) string {
	if name == "" {
		return email
	}
	return name + " <" + email + ">"
}
