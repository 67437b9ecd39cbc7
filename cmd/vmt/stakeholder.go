package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/vmtproject/vmt"
	vmthttp "github.com/vmtproject/vmt/http"
)

// stakeholderGroup holds the commands of the stakeholder registry (the
// organisations told of embargoed reports) and of its applications.
var stakeholderGroup = &group{name: "stakeholder", summary: "the stakeholder registry: add, list, show, edit and remove entries; accept or decline applications"}

func init() {
	commands = append(commands, stakeholderGroup.command())
	stakeholderGroup.add(&command{name: "add", summary: "add an organisation to the registry, with its contacts and OpenPGP key", run: stakeholderAdd})
	stakeholderGroup.add(&command{name: "list", summary: "list the registry", run: stakeholderList})
	stakeholderGroup.add(&command{name: "show", summary: "show one entry of the registry", run: stakeholderShow})
	stakeholderGroup.add(&command{name: "edit", summary: "change an entry's organisation, contacts, key or projects", run: stakeholderEdit})
	stakeholderGroup.add(&command{name: "remove", summary: "remove an entry from the registry", run: stakeholderRemove})
	stakeholderGroup.add(&command{name: "apply", summary: "apply for your organisation to join the registry", run: stakeholderApply})
	stakeholderGroup.add(&command{name: "requests", summary: "list the applications to join the registry", run: stakeholderRequests})
	stakeholderGroup.add(&command{name: "accept", summary: "accept an application: its entry is made", run: stakeholderDecide(true)})
	stakeholderGroup.add(&command{name: "decline", summary: "decline an application, with the reason the applicant reads", run: stakeholderDecide(false)})
}

// entryFlags are the fields of an entry as flags; edit changes only
// those given.
type entryFlags struct {
	organisation string
	contacts     listFlag
	projects     listFlag
	key          string
}

// input reads the flags into in: the key file within the server's limit
// for a key, the projects "all" as the empty list (every project).
func (f *entryFlags) input(e *env, in *vmt.StakeholderInput, set func(string) bool) error {
	if set("organisation") {
		in.Organisation = f.organisation
	}
	if set("contact") {
		in.Contacts = append([]string{}, f.contacts...)
	}
	if set("project") {
		in.Projects = []string{}
		for _, p := range f.projects {
			if p != "all" {
				in.Projects = append(in.Projects, p)
			}
		}
	}
	if set("key") {
		b, err := readFile(e, f.key, limitKey)
		if err != nil {
			return fmt.Errorf("--key: %w", err)
		}
		in.PublicKey = string(b)
	}
	return nil
}

const stakeholderExamples = "\n\nexample: vmt stakeholder add --organisation 'Distro Security' --contact security@distro.example --key distro.asc --project kata-containers" +
	"\nexample: vmt stakeholder edit 'Distro Security' --contact security@distro.example --contact psirt@distro.example" +
	"\nexample: vmt stakeholder remove 3"

func stakeholderAdd(ctx context.Context, e *env, args []string) error {
	const use = "--organisation ORG --contact ADDR [--contact ADDR ...] [--key KEY.asc | --key -] [--project NAME ...]" + stakeholderExamples
	fs := newFlags(e, "stakeholder add", use)
	var af apiFlags
	af.register(fs)
	var f entryFlags
	fs.StringVar(&f.organisation, "organisation", "", "the organisation's name (required)")
	fs.Var(&f.contacts, "contact", "an address the notices go to; repeatable or comma-separated (at least one)")
	fs.Var(&f.projects, "project", "a project whose notices it receives; repeatable (default: every project)")
	fs.StringVar(&f.key, "key", "", "FILE: its armored OpenPGP public key, which notices are encrypted to (\"-\": standard input; none: signed only)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, "stakeholder add "+use); err != nil {
		return err
	}
	if f.organisation == "" {
		return usagef("--organisation is required")
	}
	if len(f.contacts) == 0 {
		return usagef("--contact is required: the address the notices go to")
	}
	in := vmt.StakeholderInput{Projects: []string{}}
	if err := f.input(e, &in, func(n string) bool { return isSet(fs, n) }); err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	k, err := c.CreateStakeholder(ctx, in)
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, k)
	}
	fmt.Fprintf(e.stdout, "Added stakeholder %d, %s (%s).\n", k.ID, k.Organisation, keyState(k))
	return nil
}

func stakeholderList(ctx context.Context, e *env, args []string) error {
	const use = "[--json]\n\nexample: vmt stakeholder list"
	fs := newFlags(e, "stakeholder list", use)
	var af apiFlags
	af.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, "stakeholder list "+use); err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	ks, err := c.Stakeholders(ctx)
	if err != nil {
		return err
	}
	if af.json {
		return emitList(e.stdout, ks)
	}
	t := newTable(e.stdout, "ID", "ORGANISATION", "CONTACTS", "KEY", "PROJECTS")
	for _, k := range ks {
		t.row(strconv.FormatInt(k.ID, 10), k.Organisation, strings.Join(k.Contacts, ", "), keyState(k), projectsOf(k.Projects))
	}
	return t.flush()
}

func stakeholderShow(ctx context.Context, e *env, args []string) error {
	const use = "STAKEHOLDER [--json]\n\nSTAKEHOLDER is an id or the organisation's name.\n\nexample: vmt stakeholder show 'Distro Security'"
	fs := newFlags(e, "stakeholder show", use)
	var af apiFlags
	af.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, "stakeholder show "+use); err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	k, err := stakeholderArg(ctx, c, pos[0])
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, k)
	}
	return fields(e.stdout, "id", strconv.FormatInt(k.ID, 10), "organisation", k.Organisation,
		"contacts", strings.Join(k.Contacts, ", "), "key", keyState(k), "key expires", expiry(k),
		"projects", projectsOf(k.Projects), "added", when(k.CreatedAt), "changed", when(k.UpdatedAt))
}

func stakeholderEdit(ctx context.Context, e *env, args []string) error {
	const use = "STAKEHOLDER [--organisation ORG] [--contact ADDR ...] [--key KEY.asc | --remove-key] [--project NAME ... | --project all]\n\n" +
		"A flag given replaces that field (every --contact given is the new list); the others stay." + stakeholderExamples
	fs := newFlags(e, "stakeholder edit", use)
	var af apiFlags
	af.register(fs)
	var f entryFlags
	fs.StringVar(&f.organisation, "organisation", "", "the organisation's new name")
	fs.Var(&f.contacts, "contact", "an address the notices go to; repeatable, replaces the list")
	fs.Var(&f.projects, "project", `a project whose notices it receives; repeatable, replaces the list; "all" for every project`)
	fs.StringVar(&f.key, "key", "", "FILE: its new armored OpenPGP public key (\"-\": standard input)")
	removeKey := fs.Bool("remove-key", false, "remove its key: notices to it are then signed only")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, "stakeholder edit "+use); err != nil {
		return err
	}
	if *removeKey && isSet(fs, "key") {
		return usagef("give --key or --remove-key, not both")
	}
	changed := *removeKey
	for _, n := range []string{"organisation", "contact", "project", "key"} {
		changed = changed || isSet(fs, n)
	}
	if !changed {
		return usagef("nothing to change: give --organisation, --contact, --key, --remove-key or --project")
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	k, err := stakeholderArg(ctx, c, pos[0])
	if err != nil {
		return err
	}
	// The API replaces the entry: what no flag names is sent as it is.
	in := vmt.StakeholderInput{Organisation: k.Organisation, Contacts: k.Contacts, PublicKey: k.PublicKey, Projects: k.Projects}
	if err := f.input(e, &in, func(n string) bool { return isSet(fs, n) }); err != nil {
		return err
	}
	if *removeKey {
		in.PublicKey = ""
	}
	if k, err = c.UpdateStakeholder(ctx, k.ID, in); err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, k)
	}
	fmt.Fprintf(e.stdout, "Changed stakeholder %d, %s (%s).\n", k.ID, k.Organisation, keyState(k))
	return nil
}

func stakeholderRemove(ctx context.Context, e *env, args []string) error {
	const use = "STAKEHOLDER\n\nThe reports it was told of keep the record of it.\n\nexample: vmt stakeholder remove 'Distro Security'"
	fs := newFlags(e, "stakeholder remove", use)
	var af apiFlags
	af.registerConn(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, "stakeholder remove "+use); err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	k, err := stakeholderArg(ctx, c, pos[0])
	if err != nil {
		return err
	}
	if err := c.DeleteStakeholder(ctx, k.ID); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Removed stakeholder %d, %s.\n", k.ID, k.Organisation)
	return nil
}

func stakeholderApply(ctx context.Context, e *env, args []string) error {
	const use = "--organisation ORG --contact ADDR [--contact ADDR ...] [--key KEY.asc] [--project NAME ...] --rationale TEXT\n\n" +
		"example: vmt stakeholder apply --organisation 'Cloud Co' --contact psirt@cloud.example --key cloud.asc --rationale 'We run Kata for 3,000 tenants.'"
	fs := newFlags(e, "stakeholder apply", use)
	var af apiFlags
	af.register(fs)
	var f entryFlags
	fs.StringVar(&f.organisation, "organisation", "", "the organisation's name (required)")
	fs.Var(&f.contacts, "contact", "an address the notices would go to; repeatable (at least one)")
	fs.Var(&f.projects, "project", "a project whose notices it asks for; repeatable (default: every project)")
	fs.StringVar(&f.key, "key", "", "FILE: its armored OpenPGP public key (\"-\": standard input)")
	rationale := fs.String("rationale", "", "why the organisation should be told of embargoed reports")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, "stakeholder apply "+use); err != nil {
		return err
	}
	in := vmt.StakeholderInput{Projects: []string{}, Rationale: *rationale}
	if err := f.input(e, &in, func(n string) bool { return isSet(fs, n) }); err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	q, err := c.RequestStakeholder(ctx, in)
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, q)
	}
	fmt.Fprintf(e.stdout, "Filed application %d for %s; the VMT will accept or decline it.\n", q.ID, q.Organisation)
	return nil
}

func stakeholderRequests(ctx context.Context, e *env, args []string) error {
	const use = "[--state pending|accepted|declined] [--json]\n\nexample: vmt stakeholder requests --state pending"
	fs := newFlags(e, "stakeholder requests", use)
	var af apiFlags
	af.register(fs)
	state := fs.String("state", "", "only the applications in this state")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, "stakeholder requests "+use); err != nil {
		return err
	}
	switch vmt.RequestState(*state) {
	case "", vmt.RequestPending, vmt.RequestAccepted, vmt.RequestDeclined:
	default:
		return usagef("--state %q: want pending, accepted or declined", *state)
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	qs, err := c.StakeholderRequests(ctx)
	if err != nil {
		return err
	}
	var out []*vmt.StakeholderRequest
	for _, q := range qs {
		if *state == "" || string(q.State) == *state {
			out = append(out, q)
		}
	}
	if af.json {
		return emitList(e.stdout, out)
	}
	t := newTable(e.stdout, "ID", "ORGANISATION", "APPLICANT", "CONTACTS", "STATE", "FILED", "RATIONALE")
	for _, q := range out {
		applicant := q.Applicant
		if applicant == "" {
			applicant = userRef(q.UserID, "-")
		}
		t.row(strconv.FormatInt(q.ID, 10), q.Organisation, applicant, strings.Join(q.Contacts, ", "), string(q.State),
			when(q.CreatedAt), clip(q.Rationale, 60))
	}
	return t.flush()
}

// stakeholderDecide is accept (ok) or decline.
func stakeholderDecide(ok bool) func(ctx context.Context, e *env, args []string) error {
	name, verb := "decline", "Declined"
	if ok {
		name, verb = "accept", "Accepted"
	}
	return func(ctx context.Context, e *env, args []string) error {
		use := "ID [--note TEXT]\n\nexample: vmt stakeholder " + name + " 4 --note 'Welcome aboard.'"
		fs := newFlags(e, "stakeholder "+name, use)
		var af apiFlags
		af.register(fs)
		note := fs.String("note", "", "a note to the applicant (for a decline: the reason)")
		pos, err := parse(fs, args)
		if err != nil {
			return err
		}
		if err := wantArgs(pos, 1, "stakeholder "+name+" "+use); err != nil {
			return err
		}
		id, err := parseID("application", pos[0])
		if err != nil {
			return err
		}
		c, err := af.client(e)
		if err != nil {
			return err
		}
		decide := c.DeclineStakeholder
		if ok {
			decide = c.AcceptStakeholder
		}
		q, err := decide(ctx, id, *note)
		if err != nil {
			return err
		}
		if af.json {
			return emitJSON(e.stdout, q)
		}
		fmt.Fprintf(e.stdout, "%s application %d of %s.", verb, q.ID, q.Organisation)
		if q.StakeholderID != 0 {
			fmt.Fprintf(e.stdout, " It is stakeholder %d.", q.StakeholderID)
		}
		fmt.Fprintln(e.stdout)
		return nil
	}
}

// stakeholderArg finds an entry by id or by its organisation's name
// (case aside), among those the caller keeps.
func stakeholderArg(ctx context.Context, c *vmthttp.Client, s string) (*vmt.Stakeholder, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n <= 0 {
			return nil, usagef("%q is not a stakeholder id", s)
		}
		return c.Stakeholder(ctx, n)
	}
	ks, err := c.Stakeholders(ctx)
	if err != nil {
		return nil, err
	}
	for _, k := range ks {
		if strings.EqualFold(k.Organisation, s) {
			return k, nil
		}
	}
	return nil, vmt.Errorf(vmt.ENOTFOUND, "no stakeholder %q in the registry (give its id or its organisation's name)", s)
}

// keyState says how notices to k are protected.
func keyState(k *vmt.Stakeholder) string {
	switch {
	case k.PublicKey == "":
		return "no key: notices signed only"
	case k.KeyWarning != "":
		return k.Fingerprint + " (" + k.KeyWarning + ")"
	}
	return k.Fingerprint
}

// expiry is when the key k has expires: "-" with no key.
func expiry(k *vmt.Stakeholder) string {
	switch {
	case k.PublicKey == "":
		return "-"
	case k.KeyExpires == nil:
		return "never"
	}
	return when(*k.KeyExpires)
}

func projectsOf(ps []string) string {
	if len(ps) == 0 {
		return "all"
	}
	return strings.Join(ps, ", ")
}

// emailsOf returns a function naming user ids by address, from the user
// list when the caller may read it (administrators); others see "user N".
func emailsOf(ctx context.Context, c *vmthttp.Client) func(int64) string {
	byID := map[int64]string{}
	if us, err := c.Users(ctx); err == nil {
		for _, u := range us {
			byID[u.ID] = u.Email
		}
	}
	return func(id int64) string {
		if id == 0 {
			return "system"
		}
		if m, ok := byID[id]; ok {
			return m
		}
		return userRef(id, "system")
	}
}
