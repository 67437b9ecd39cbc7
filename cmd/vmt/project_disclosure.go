package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/calendar"
)

func init() {
	projectGroup.add(&command{name: "disclosure", summary: "show or set a project's disclosure settings: date policy, embargo limit, stage timers and escalation", run: projectDisclosure})
}

// projectDisclosure reads the settings, changes what the flags name, and
// writes the whole back: the API replaces the settings, so a flag left
// out keeps its current value rather than falling back to a default.
func projectDisclosure(ctx context.Context, e *env, args []string) error {
	const use = "NAME [--embargo-limit-days N] [--max-embargo-days N] [--timer STATUS=DAYS ...] [--escalate-after-days N] " +
		"[--escalation-contact ADDR ...] [--window 3-5] [--hour H] [--avoid Monday,Friday] [--country US ...] [--period NAME=MM-DD..MM-DD ...] [--default-policy] [--policy-text FILE|-]"
	fs := newFlags(e, "project disclosure", use)
	var af apiFlags
	af.register(fs)
	limit := fs.Int("embargo-limit-days", 0, "days an embargo may last before the report is raised for going public")
	maxDays := fs.Int("max-embargo-days", 0, "the hard maximum of an embargo, in days")
	var timers, contacts listFlag
	fs.Var(&timers, "timer", "STATUS=DAYS: days a report may stay in STATUS before the coordinator is reminded (0: no timer); repeatable")
	escalate := fs.Int("escalate-after-days", 0, "days after the reminder before the escalation contacts are told")
	fs.Var(&contacts, "escalation-contact", `address told when a stage timer escalates; repeatable, replaces the list; "none" for no one`)
	var pf disclosureFlags
	fs.StringVar(&pf.window, "window", "", "disclosure window in business days after the notice, e.g. 3-5")
	fs.IntVar(&pf.hour, "hour", 0, "hour of the disclosure in UTC, 0-23")
	fs.StringVar(&pf.avoid, "avoid", "", `weekdays never chosen, comma-separated, or "none"`)
	fs.Var(&pf.countries, "country", `country whose public holidays are skipped; repeatable, replaces the list; "none" for none`)
	fs.Var(&pf.periods, "period", `holiday period NAME=MM-DD..MM-DD; repeatable, replaces the list; "none" for none`)
	defPolicy := fs.Bool("default-policy", false, "go back to the default date policy (the policy flags then change it)")
	policyText := fs.String("policy-text", "", `FILE (Markdown, "-" for standard input): the disclosure policy the project's public policy page shows; an empty file goes back to vmt's wording`)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, "project disclosure "+use); err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	set, err := c.DisclosureSettings(ctx, pos[0])
	if err != nil {
		return err
	}
	changed := false
	for name, f := range map[string]struct{ dst, val *int }{
		"embargo-limit-days": {&set.EmbargoLimitDays, limit}, "max-embargo-days": {&set.MaxEmbargoDays, maxDays},
		"escalate-after-days": {&set.Timers.EscalateAfterDays, escalate},
	} {
		if isSet(fs, name) {
			*f.dst, changed = *f.val, true
		}
	}
	if len(timers) > 0 {
		if set.Timers.LimitDays == nil {
			set.Timers.LimitDays = map[vmt.Status]int{}
		}
		for _, t := range timers {
			st, days, err := parseTimer(t)
			if err != nil {
				return err
			}
			// 0 removes the timer: the API reads an absent status as no timer.
			if days == 0 {
				delete(set.Timers.LimitDays, st)
			} else {
				set.Timers.LimitDays[st] = days
			}
		}
		changed = true
	}
	if isSet(fs, "escalation-contact") {
		set.Timers.EscalationContacts = []string{}
		for _, a := range contacts {
			if a != "none" {
				set.Timers.EscalationContacts = append(set.Timers.EscalationContacts, a)
			}
		}
		changed = true
	}
	if isSet(fs, "policy-text") {
		b, err := readFile(e, *policyText, limitPolicyText)
		if err != nil {
			return fmt.Errorf("--policy-text: %w", err)
		}
		set.PolicyText, changed = strings.TrimSpace(string(b)), true
		if set.PolicyText != "" {
			set.PolicyText += "\n"
		}
	}
	policySet := false
	for _, n := range []string{"window", "hour", "avoid", "country", "period"} {
		policySet = policySet || isSet(fs, n)
	}
	switch {
	case *defPolicy && !policySet:
		// Stored as "none of its own", which follows the tool's default.
		set.Policy, changed = nil, true
	case *defPolicy || policySet:
		p := calendar.DefaultPolicy()
		if !*defPolicy {
			if p, err = effectivePolicy(set); err != nil {
				return err
			}
		}
		if err := applyPolicyFlags(fs, &pf, &p); err != nil {
			return err
		}
		if set.Policy, err = json.Marshal(p); err != nil {
			return err
		}
		changed = true
	}
	if changed {
		if set, err = c.SetDisclosureSettings(ctx, pos[0], *set); err != nil {
			return err
		}
	}
	return disclosureOut(e, &af, set)
}

// parseTimer reads STATUS=DAYS.
func parseTimer(s string) (vmt.Status, int, error) {
	name, days, ok := strings.Cut(s, "=")
	if !ok {
		return "", 0, usagef("--timer: %q is not STATUS=DAYS", s)
	}
	st := normStatus(name)
	if !st.Valid() {
		_, err := vmt.ParseStatus("--timer", name)
		return "", 0, usagef("%v", err)
	}
	n, err := strconv.Atoi(strings.TrimSpace(days))
	if err != nil || n < 0 {
		return "", 0, usagef("--timer %s: %q is not a number of days", name, days)
	}
	return st, n, nil
}

// effectivePolicy is the project's policy, or the default it follows
// while it has none of its own.
func effectivePolicy(set *vmt.DisclosureSettings) (calendar.Policy, error) {
	if len(set.Policy) == 0 {
		return calendar.DefaultPolicy(), nil
	}
	var p calendar.Policy
	if err := json.Unmarshal(set.Policy, &p); err != nil {
		return p, fmt.Errorf("the server's disclosure policy: %w", err)
	}
	return p, nil
}

// applyPolicyFlags changes only what the flags given name.
func applyPolicyFlags(fs interface{ Visit(func(*flag.Flag)) }, f *disclosureFlags, p *calendar.Policy) error {
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	var err error
	if set["window"] {
		if p.MinDays, p.MaxDays, err = calendar.ParseWindow(f.window); err != nil {
			return usagef("--%v", err)
		}
	}
	if set["hour"] {
		p.Hour = f.hour
	}
	if set["avoid"] {
		if p.Avoid, err = parseAvoid(f.avoid); err != nil {
			return err
		}
	}
	if set["country"] {
		p.Countries = nil
		for _, c := range f.countries {
			if c != "none" {
				p.Countries = append(p.Countries, c)
			}
		}
	}
	if set["period"] {
		p.Periods = nil
		for _, s := range f.periods {
			if s == "none" {
				continue
			}
			per, err := calendar.ParsePeriod(s)
			if err != nil {
				return usagef("--%v", err)
			}
			p.Periods = append(p.Periods, per)
		}
	}
	if err := p.Validate(); err != nil {
		return usagef("%v", err)
	}
	return nil
}

func disclosureOut(e *env, af *apiFlags, s *vmt.DisclosureSettings) error {
	if af.json {
		return emitJSON(e.stdout, s)
	}
	p, err := effectivePolicy(s)
	if err != nil {
		return err
	}
	policy := describePolicy(p)
	if len(s.Policy) == 0 {
		policy += " (the default)"
	}
	var timers []string
	for _, st := range s.Timers.TimedStatuses() {
		timers = append(timers, fmt.Sprintf("%s %dd", st, s.Timers.LimitDays[st]))
	}
	var lists []string
	for _, l := range s.Lists {
		lists = append(lists, fmt.Sprintf("%s <%s> (%s)", l.Name, l.Address, l.Rules))
	}
	text := "vmt's own wording, from these settings"
	if s.PolicyText != "" {
		text = fmt.Sprintf("the project's own, %d bytes", len(s.PolicyText))
	}
	return fields(e.stdout, "date policy", policy,
		"embargo limit", fmt.Sprintf("%d days", s.EmbargoLimitDays),
		"max embargo", fmt.Sprintf("%d days", s.MaxEmbargoDays),
		"stage timers", noneIfEmpty(strings.Join(timers, ", ")),
		"escalate after", fmt.Sprintf("%d days", s.Timers.EscalateAfterDays),
		"escalation contacts", noneIfEmpty(strings.Join(s.Timers.EscalationContacts, ", ")),
		"notice lists", noneIfEmpty(strings.Join(lists, "; ")),
		"policy text", text)
}
