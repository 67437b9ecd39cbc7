package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/vmtproject/vmt/calendar"
)

func init() {
	commands = append(commands, &command{name: "disclosure-date", summary: "compute a disclosure date and say why each earlier day was skipped (no server needed)", run: disclosureDate})
}

// disclosureFlags are the policy settings given on the command line.
type disclosureFlags struct {
	from, window, avoid string
	hour                int
	countries, periods  listFlag
	json                bool
}

// listFlag is a flag given several times or with commas: --country US,GB.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, v)
		}
	}
	return nil
}

func (f *disclosureFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.from, "from", "", "day of the notice, YYYY-MM-DD in UTC (default today)")
	fs.StringVar(&f.window, "window", "3-5", "window in business days after the notice")
	fs.IntVar(&f.hour, "hour", 0, "hour of the disclosure in UTC, 0-23")
	fs.StringVar(&f.avoid, "avoid", "Monday,Friday", `weekdays never chosen, comma-separated, or "none"`)
	fs.Var(&f.countries, "country", "country whose public holidays are skipped (repeatable: --country US --country GB)")
	fs.Var(&f.periods, "period", `holiday period NAME=MM-DD..MM-DD, repeatable; replaces the default "end of year=12-24..01-02"; "none" for no period`)
	fs.BoolVar(&f.json, "json", false, "print JSON")
}

func disclosureDate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "disclosure-date", "[--from YYYY-MM-DD] [--window 3-5] [--hour 0] [--country US ...] [--period NAME=MM-DD..MM-DD ...] [--avoid Monday,Friday] [--json]")
	var f disclosureFlags
	f.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, "disclosure-date [flags]"); err != nil {
		return err
	}
	// Seam: `--project P` will read the project's policy from the server
	// and let these flags override it; today the policy is the default
	// one changed by the flags.
	p, err := f.policy()
	if err != nil {
		return err
	}
	from, err := f.notice()
	if err != nil {
		return err
	}
	d, err := p.Next(from)
	if err != nil {
		return usagef("%v", err)
	}
	loc := localZone(e)
	if f.json {
		return emitJSON(e.stdout, disclosureJSON(p, d, loc))
	}
	return printDisclosure(e.stdout, p, d, loc)
}

// policy is the default policy with the flags applied.
func (f *disclosureFlags) policy() (calendar.Policy, error) {
	p := calendar.DefaultPolicy()
	var err error
	if p.MinDays, p.MaxDays, err = calendar.ParseWindow(f.window); err != nil {
		return p, usagef("--%v", err)
	}
	p.Hour = f.hour
	p.Countries = f.countries
	if p.Avoid, err = parseAvoid(f.avoid); err != nil {
		return p, err
	}
	if len(f.periods) > 0 {
		p.Periods = nil
	}
	for _, s := range f.periods {
		if s == "none" {
			continue
		}
		per, err := calendar.ParsePeriod(s)
		if err != nil {
			return p, usagef("--%v", err)
		}
		p.Periods = append(p.Periods, per)
	}
	if err := p.Validate(); err != nil {
		return p, usagef("%v", err)
	}
	return p, nil
}

func parseAvoid(s string) ([]time.Weekday, error) {
	var out []time.Weekday
	if s == "none" {
		return nil, nil
	}
	for _, w := range strings.Split(s, ",") {
		d, err := calendar.ParseWeekday(w)
		if err != nil {
			return nil, usagef("--avoid: %v", err)
		}
		out = append(out, d)
	}
	return out, nil
}

// notice is the start of the notice day in UTC.
func (f *disclosureFlags) notice() (time.Time, error) {
	if f.from == "" {
		return time.Now().UTC(), nil
	}
	t, err := time.Parse(time.DateOnly, f.from)
	if err != nil {
		return t, usagef("--from: %q is not a date YYYY-MM-DD", f.from)
	}
	return t, nil
}

// localZone is the reader's zone: TZ if set and known, else the system's.
func localZone(e *env) *time.Location {
	if tz := e.getenv("TZ"); tz != "" {
		if loc, err := time.LoadLocation(tz); err == nil {
			return loc
		}
	}
	return time.Local
}

// inZone writes t in loc when loc's offset at t is not zero: an embargo
// hour read in the wrong zone is how embargoes break early.
func inZone(t time.Time, loc *time.Location) (string, bool) {
	l := t.In(loc)
	if _, off := l.Zone(); off == 0 {
		return "", false
	}
	return l.Format("Monday 2006-01-02 15:04 MST (-07:00)"), true
}

func printDisclosure(w io.Writer, p calendar.Policy, d calendar.Decision, loc *time.Location) error {
	fmt.Fprintf(w, "Disclosure:  %s\n", d.At.Format("Monday 2006-01-02 15:04 UTC"))
	if l, ok := inZone(d.At, loc); ok {
		fmt.Fprintf(w, "             %s, local time\n", l)
	}
	fmt.Fprintf(w, "Notice day:  %s; %d business days later\n", d.Notice.Format("Monday 2006-01-02"), d.BusinessDays)
	if d.AfterWindow {
		fmt.Fprintf(w, "No day in the window of %d-%d business days qualified: this is the first one after it.\n", p.MinDays, p.MaxDays)
	}
	fmt.Fprintf(w, "Policy:      %s\n", describePolicy(p))
	if len(d.Skipped) > 0 {
		fmt.Fprintln(w, "Days skipped:")
	}
	for _, s := range d.Skipped {
		fmt.Fprintf(w, "  %s\n", s)
	}
	return nil
}

func describePolicy(p calendar.Policy) string {
	avoid := make([]string, len(p.Avoid))
	for i, d := range p.Avoid {
		avoid[i] = d.String()
	}
	periods := make([]string, len(p.Periods))
	for i, per := range p.Periods {
		periods[i] = per.String()
	}
	return fmt.Sprintf("%d-%d business days at %02d:00 UTC; never %s; country holidays: %s; periods: %s",
		p.MinDays, p.MaxDays, p.Hour, noneIfEmpty(strings.Join(avoid, ", ")),
		noneIfEmpty(strings.Join(p.Countries, ", ")), noneIfEmpty(strings.Join(periods, ", ")))
}

// noneIfEmpty says "none" for an empty setting (orNone says "-").
func noneIfEmpty(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

type skipJSON struct {
	Day    string `json:"day"`
	Reason string `json:"reason"`
	Detail string `json:"detail"`
}

func disclosureJSON(p calendar.Policy, d calendar.Decision, loc *time.Location) any {
	skips := make([]skipJSON, len(d.Skipped))
	for i, s := range d.Skipped {
		skips[i] = skipJSON{s.Day.Format(time.DateOnly), string(s.Reason), s.Detail}
	}
	return struct {
		Disclosure   time.Time  `json:"disclosure"`
		Local        string     `json:"local"`
		NoticeDay    string     `json:"notice_day"`
		BusinessDays int        `json:"business_days"`
		AfterWindow  bool       `json:"after_window"`
		Policy       string     `json:"policy"`
		Skipped      []skipJSON `json:"skipped"`
	}{d.At, d.At.In(loc).Format(time.RFC3339), d.Notice.Format(time.DateOnly), d.BusinessDays, d.AfterWindow, describePolicy(p), skips}
}
