package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/vmtproject/vmt"
	vmthttp "github.com/vmtproject/vmt/http"
)

// apiFlags are the flags of every command that talks to a server.
type apiFlags struct {
	server string
	token  string
	json   bool
}

func (f *apiFlags) register(fs *flag.FlagSet) {
	f.registerConn(fs)
	fs.BoolVar(&f.json, "json", false, "print the API's JSON instead of a table")
}

// registerConn registers the flags of a command that prints no API answer.
func (f *apiFlags) registerConn(fs *flag.FlagSet) {
	fs.StringVar(&f.server, "server", "", "server URL (env VMT_SERVER; default: the one vmt login saved)")
	fs.StringVar(&f.token, "token", "", "API token (env VMT_TOKEN; default: the one vmt login saved)")
}

// client returns a client of the server the flags, the environment or the
// saved configuration name, in that order of precedence.
func (f *apiFlags) client(e *env) (*vmthttp.Client, error) {
	cfg, err := loadConfig(e)
	if err != nil {
		return nil, err
	}
	server := firstOf(f.server, e.getenv("VMT_SERVER"), cfg.Server)
	token := firstOf(f.token, e.getenv("VMT_TOKEN"), cfg.Token)
	if server == "" {
		return nil, vmt.Errorf(vmt.EUNAUTHENTICATED, "no server: run 'vmt login --server URL --token TOKEN' or set VMT_SERVER")
	}
	if err := checkServerURL(server); err != nil {
		return nil, err
	}
	return &vmthttp.Client{BaseURL: server, Token: token}, nil
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// checkServerURL refuses a server that is not an http or https URL, so that
// a typo does not send the token somewhere unexpected.
func checkServerURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return usagef("server %q is not an http:// or https:// URL", s)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return usagef("server %q must not have a query or a fragment", s)
	}
	return nil
}

// parseID parses a positional id argument.
func parseID(what, s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, usagef("%q is not %s id", s, article(what))
	}
	return n, nil
}

// article puts "a" or "an" before a word.
func article(w string) string {
	if w != "" && strings.ContainsRune("aeiou", rune(w[0])) {
		return "an " + w
	}
	return "a " + w
}

// wantArgs checks the number of positional arguments.
func wantArgs(pos []string, n int, usage string) error {
	if len(pos) != n {
		return usagef("usage: vmt %s", usage)
	}
	return nil
}

// readText returns the text of a --x / --x-file pair: the inline value, or
// the file's content ("-" reads standard input). Giving both is an error.
// A file larger than lim, the server's limit for the field, is refused.
func readText(e *env, name, inline, file string, lim fileLimit) (string, bool, error) {
	switch {
	case inline != "" && file != "":
		return "", false, usagef("give --%s or --%s-file, not both", name, name)
	case file != "":
		b, err := readFile(e, file, lim)
		return string(b), true, err
	}
	return inline, inline != "", nil
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(s string) error {
	*l = append(*l, s)
	return nil
}

// values returns the list with empty entries dropped, so that a lone
// `--cve ""` stands for the empty list.
func (l stringList) values() []string {
	out := []string{}
	for _, s := range l {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// isSet reports whether the flag name was given on the command line.
func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// normStatus turns what a person types ("Won't Fix", "fix-released") into a
// status value ("wont_fix"); the server says when it is unknown.
func normStatus(s string) vmt.Status {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.NewReplacer("'", "", "’", "", "-", "_", " ", "_").Replace(s)
	return vmt.Status(s)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// reportFlags is the flag set of "vmt report NAME", with the API flags.
func reportFlags(e *env, name, use string, af *apiFlags) *flag.FlagSet {
	fs := newFlags(e, "report "+name, use)
	af.register(fs)
	return fs
}

// reportArgs parses the command line of "vmt report NAME ID ...": exactly n
// positional arguments, the first a report id. It returns the id and all
// the positional arguments.
func reportArgs(fs *flag.FlagSet, args []string, n int, name, use string) (int64, []string, error) {
	pos, err := parse(fs, args)
	if err != nil {
		return 0, nil, err
	}
	if err := wantArgs(pos, n, "report "+name+" "+use); err != nil {
		return 0, nil, err
	}
	id, err := parseID("report", pos[0])
	if err != nil {
		return 0, nil, err
	}
	return id, pos, nil
}

// reportUserArgs parses the command line of "vmt report NAME ID USER":
// the report id and the user as given, an id or an email address, for
// userArg once the client is made.
func reportUserArgs(fs *flag.FlagSet, args []string, name, use string) (id int64, user string, err error) {
	id, pos, err := reportArgs(fs, args, 2, name, use)
	if err != nil {
		return 0, "", err
	}
	return id, pos[1], nil
}

// userNamed names user id in a command's answer as the command line
// named them: "User 3 (rita@example.org)" when given by address, so that
// what was done reads in the words it was asked in.
func userNamed(id int64, given string) string {
	if given = strings.TrimSpace(given); strings.Contains(given, "@") {
		return fmt.Sprintf("User %d (%s)", id, strings.ToLower(given))
	}
	return fmt.Sprintf("User %d", id)
}

// userArg resolves a USER argument: a user id, or the email address of
// an account, which the server looks up (the VMT and administrators).
// People are named by address in every command; the id still works.
func userArg(ctx context.Context, c *vmthttp.Client, what, s string) (int64, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n <= 0 {
			return 0, usagef("%q is not a %s id", s, what)
		}
		return n, nil
	}
	if !strings.Contains(s, "@") {
		return 0, usagef("%q is neither a %s id nor an email address", s, what)
	}
	u, err := c.UserByEmail(ctx, s)
	if vmt.ErrorCode(err) == vmt.ENOTFOUND {
		return 0, vmt.Errorf(vmt.ENOTFOUND, "no account has the address %s", s)
	}
	if err != nil {
		return 0, err
	}
	return u.ID, nil
}
