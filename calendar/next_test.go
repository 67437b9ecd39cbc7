package calendar

import (
	"strings"
	"testing"
	"time"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func with(f func(*Policy)) Policy {
	p := DefaultPolicy()
	f(&p)
	return p
}

// The dates below were worked out by hand on a calendar of 2026-2027.
func TestNextByHand(t *testing.T) {
	retreat := Period{Name: "retreat", From: MonthDay{time.November, 10}, To: MonthDay{time.November, 12}}
	tests := []struct {
		name   string
		policy Policy
		from   time.Time
		want   string // RFC 3339
		after  bool
		skips  []string // "YYYY-MM-DD reason"
	}{
		{"monday notice", DefaultPolicy(), date("2026-11-02"), "2026-11-05T00:00:00Z", false,
			[]string{"2026-11-03 before the window", "2026-11-04 before the window"}},
		{"notice late in the day counts its UTC day", DefaultPolicy(), date("2026-11-02").Add(23*time.Hour + 59*time.Minute), "2026-11-05T00:00:00Z", false, nil},
		{"thursday notice skips the weekend and Monday", DefaultPolicy(), date("2026-11-05"), "2026-11-10T00:00:00Z", false,
			[]string{"2026-11-06 before the window", "2026-11-07 weekend", "2026-11-08 weekend", "2026-11-09 before the window"}},
		{"friday notice", DefaultPolicy(), date("2026-11-06"), "2026-11-11T00:00:00Z", false, nil},
		{"before the end of year", DefaultPolicy(), date("2026-12-18"), "2026-12-23T00:00:00Z", false, nil},
		{"over the end of year", DefaultPolicy(), date("2026-12-21"), "2027-01-05T00:00:00Z", false,
			[]string{"2026-12-22 before the window", "2026-12-23 before the window",
				"2026-12-24 holiday period", "2026-12-25 holiday period", "2026-12-26 weekend", "2026-12-27 weekend",
				"2026-12-28 holiday period", "2026-12-29 holiday period", "2026-12-30 holiday period", "2026-12-31 holiday period",
				"2027-01-01 holiday period", "2027-01-02 weekend", "2027-01-03 weekend", "2027-01-04 avoided weekday"}},
		{"thanksgiving in US", with(func(p *Policy) { p.Countries = []string{"US"} }), date("2026-11-23"), "2026-12-01T00:00:00Z", false,
			[]string{"2026-11-24 before the window", "2026-11-25 before the window", "2026-11-26 holiday",
				"2026-11-27 avoided weekday", "2026-11-28 weekend", "2026-11-29 weekend", "2026-11-30 avoided weekday"}},
		{"window of one day fully blocked", with(func(p *Policy) { p.MinDays, p.MaxDays = 1, 1 }), date("2026-11-05"), "2026-11-10T00:00:00Z", true,
			[]string{"2026-11-06 avoided weekday", "2026-11-07 weekend", "2026-11-08 weekend", "2026-11-09 avoided weekday"}},
		{"window blocked by a period", with(func(p *Policy) { p.Periods = append(p.Periods, retreat) }), date("2026-11-03"), "2026-11-17T00:00:00Z", true, nil},
		{"independence day observed on Friday", with(func(p *Policy) { p.MinDays, p.MaxDays, p.Countries = 1, 1, []string{"US"} }), date("2026-07-02"), "2026-07-07T00:00:00Z", true,
			[]string{"2026-07-03 holiday", "2026-07-04 weekend", "2026-07-05 weekend", "2026-07-06 avoided weekday"}},
		{"openstack's later rule", with(func(p *Policy) { p.MinDays, p.MaxDays, p.Hour = 5, 10, 15 }),
			time.Date(2026, 11, 2, 20, 0, 0, 0, time.FixedZone("EST", -5*3600)), "2026-11-10T15:00:00Z", false, nil},
		{"no avoided days", with(func(p *Policy) { p.Avoid = nil }), date("2026-11-05"), "2026-11-10T00:00:00Z", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := tt.policy.Next(tt.from)
			if err != nil {
				t.Fatal(err)
			}
			if got := d.At.Format(time.RFC3339); got != tt.want {
				t.Errorf("At = %s, want %s (skipped %v)", got, tt.want, d.Skipped)
			}
			if d.AfterWindow != tt.after {
				t.Errorf("AfterWindow = %v, want %v", d.AfterWindow, tt.after)
			}
			if tt.skips == nil {
				return
			}
			var got []string
			for _, s := range d.Skipped {
				got = append(got, s.Day.Format(time.DateOnly)+" "+string(s.Reason))
			}
			if strings.Join(got, "\n") != strings.Join(tt.skips, "\n") {
				t.Errorf("skipped:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.skips, "\n"))
			}
		})
	}
}

func TestSkipDetails(t *testing.T) {
	p := with(func(p *Policy) { p.Countries = []string{"US"} })
	d, err := p.Next(date("2026-11-23"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Tue 2026-11-24  before the window: business day 1 of 3-5",
		"Wed 2026-11-25  before the window: business day 2 of 3-5",
		"Thu 2026-11-26  holiday: Thanksgiving Day in US",
		"Fri 2026-11-27  avoided weekday: Friday, business day 3 of 3-5",
		"Sat 2026-11-28  weekend: Saturday",
		"Sun 2026-11-29  weekend: Sunday",
		"Mon 2026-11-30  avoided weekday: Monday, business day 4 of 3-5",
	}
	for i, s := range d.Skipped {
		if i >= len(want) || s.String() != want[i] {
			t.Errorf("skip %d = %q", i, s.String())
		}
	}
	if len(d.Skipped) != len(want) || d.BusinessDays != 5 {
		t.Errorf("%d skips, %d business days; want %d, 5", len(d.Skipped), d.BusinessDays, len(want))
	}
	d, err = DefaultPolicy().Next(date("2026-12-21"))
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Skipped[2].String(); got != "Thu 2026-12-24  holiday period: end of year (24 Dec – 2 Jan)" {
		t.Errorf("period skip = %q", got)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		policy Policy
		want   string
	}{
		{"zero window", with(func(p *Policy) { p.MinDays = 0 }), "window: the first day must be at least 1"},
		{"reversed window", with(func(p *Policy) { p.MinDays, p.MaxDays = 5, 3 }), "window: 5-3 ends before it starts"},
		{"huge window", with(func(p *Policy) { p.MaxDays = 400 }), "window: 400 business days is more than the 60 allowed"},
		{"hour", with(func(p *Policy) { p.Hour = 24 }), "hour: 24 is not an hour of the day (0-23)"},
		{"negative hour", with(func(p *Policy) { p.Hour = -1 }), "hour: -1"},
		{"unknown country", with(func(p *Policy) { p.Countries = []string{"XX"} }), `countries: no holiday calendar for "XX"; known: AR AT AU-ACT`},
		{"lower case country", with(func(p *Policy) { p.Countries = []string{"us"} }), `"us" (codes are upper case)`},
		{"UK", with(func(p *Policy) { p.Countries = []string{"UK"} }), `the United Kingdom's code is GB`},
		{"every weekday avoided", with(func(p *Policy) {
			p.Avoid = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
		}), "avoid: every weekday from Monday to Friday is avoided"},
		{"bad weekday", with(func(p *Policy) { p.Avoid = []time.Weekday{9} }), "avoid: 9 is not a weekday"},
		{"unnamed period", with(func(p *Policy) { p.Periods = []Period{{From: MonthDay{1, 1}, To: MonthDay{1, 2}}} }), "period 1: a holiday period needs a name"},
		{"bad day", with(func(p *Policy) { p.Periods = append(p.Periods, Period{"x", MonthDay{2, 30}, MonthDay{3, 1}}) }), "period 2: x: start: February has no day 30"},
		{"bad month", with(func(p *Policy) { p.Periods = []Period{{"x", MonthDay{1, 1}, MonthDay{13, 1}}} }), "period 1: x: end: month 13 is not a month"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.policy.Next(date("2026-11-02"))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestNoDayEver(t *testing.T) {
	p := with(func(p *Policy) { p.Periods = []Period{{"always", MonthDay{1, 1}, MonthDay{12, 31}}} })
	_, err := p.Next(date("2026-11-02"))
	if err == nil || !strings.Contains(err.Error(), "no day qualifies within two years of 2026-11-02") {
		t.Fatalf("error = %v", err)
	}
}

func TestParse(t *testing.T) {
	lo, hi, err := ParseWindow("5-10")
	if err != nil || lo != 5 || hi != 10 {
		t.Errorf("ParseWindow(5-10) = %d, %d, %v", lo, hi, err)
	}
	lo, hi, err = ParseWindow("4")
	if err != nil || lo != 4 || hi != 4 {
		t.Errorf("ParseWindow(4) = %d, %d, %v", lo, hi, err)
	}
	if _, _, err := ParseWindow("3-x"); err == nil || !strings.Contains(err.Error(), `"3-x" is not a range`) {
		t.Errorf("ParseWindow(3-x) error = %v", err)
	}
	p, err := ParsePeriod("summer=08-01..08-15")
	if err != nil || p.String() != "summer (1 Aug – 15 Aug)" {
		t.Errorf("ParsePeriod = %v, %v", p, err)
	}
	if _, err := ParsePeriod("summer=08-01..08-32"); err == nil || !strings.Contains(err.Error(), "August has no day 32") {
		t.Errorf("ParsePeriod(08-32) error = %v", err)
	}
	if _, err := ParsePeriod("08-01..08-15"); err == nil || !strings.Contains(err.Error(), "is not NAME=MM-DD..MM-DD") {
		t.Errorf("ParsePeriod without name error = %v", err)
	}
	if d, err := ParseWeekday("fri"); err != nil || d != time.Friday {
		t.Errorf("ParseWeekday(fri) = %v, %v", d, err)
	}
	if _, err := ParseWeekday("fry"); err == nil {
		t.Error("ParseWeekday(fry) accepted")
	}
}

func TestPeriodContains(t *testing.T) {
	eoy := EndOfYear()
	for s, want := range map[string]bool{
		"2026-12-23": false, "2026-12-24": true, "2026-12-31": true, "2027-01-01": true,
		"2027-01-02": true, "2027-01-03": false, "2027-06-15": false,
	} {
		if got := eoy.Contains(date(s)); got != want {
			t.Errorf("end of year contains %s = %v, want %v", s, got, want)
		}
	}
	leap := Period{"leap", MonthDay{time.February, 29}, MonthDay{time.February, 29}}
	if !leap.Contains(date("2028-02-29")) || leap.Contains(date("2027-03-01")) || leap.Contains(date("2027-02-28")) {
		t.Error("29 February period matches the wrong days")
	}
}
