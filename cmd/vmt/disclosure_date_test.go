package main

import (
	"strings"
	"testing"
	"time"
)

// The default policy needs no server and no login.
func TestDisclosureDateDefault(t *testing.T) {
	u := newCLIUser(t)
	u.env["TZ"] = "UTC"
	got := u.ok("disclosure-date", "--from", "2026-12-21")
	want := `Disclosure:  Tuesday 2027-01-05 00:00 UTC
Notice day:  Monday 2026-12-21; 4 business days later
Policy:      3-5 business days at 00:00 UTC; never Monday, Friday; country holidays: none; periods: end of year (24 Dec – 2 Jan)
Days skipped:
  Tue 2026-12-22  before the window: business day 1 of 3-5
  Wed 2026-12-23  before the window: business day 2 of 3-5
  Thu 2026-12-24  holiday period: end of year (24 Dec – 2 Jan)
  Fri 2026-12-25  holiday period: end of year (24 Dec – 2 Jan)
  Sat 2026-12-26  weekend: Saturday
  Sun 2026-12-27  weekend: Sunday
  Mon 2026-12-28  holiday period: end of year (24 Dec – 2 Jan)
  Tue 2026-12-29  holiday period: end of year (24 Dec – 2 Jan)
  Wed 2026-12-30  holiday period: end of year (24 Dec – 2 Jan)
  Thu 2026-12-31  holiday period: end of year (24 Dec – 2 Jan)
  Fri 2027-01-01  holiday period: end of year (24 Dec – 2 Jan)
  Sat 2027-01-02  weekend: Saturday
  Sun 2027-01-03  weekend: Sunday
  Mon 2027-01-04  avoided weekday: Monday, business day 3 of 3-5
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// The hour is shown in UTC and in the reader's zone, where the date may
// be the day before.
func TestDisclosureDateLocalTime(t *testing.T) {
	u := newCLIUser(t)
	u.env["TZ"] = "America/New_York"
	got := u.ok("disclosure-date", "--from", "2026-11-02", "--hour", "3", "--country", "US,GB", "--window", "3-5")
	for _, want := range []string{
		"Disclosure:  Thursday 2026-11-05 03:00 UTC\n",
		"             Wednesday 2026-11-04 22:00 EST (-05:00), local time\n",
		"country holidays: US, GB;",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

func TestDisclosureDateJSON(t *testing.T) {
	u := newCLIUser(t)
	u.env["TZ"] = "Asia/Tokyo"
	out := u.ok("disclosure-date", "--from", "2026-07-30", "--window", "1-1", "--hour", "15",
		"--period", "summer=08-01..08-20", "--avoid", "fri,mon", "--json")
	type skip struct{ Day, Reason, Detail string }
	v := decodeJSON[struct {
		Disclosure   time.Time `json:"disclosure"`
		Local        string    `json:"local"`
		NoticeDay    string    `json:"notice_day"`
		BusinessDays int       `json:"business_days"`
		AfterWindow  bool      `json:"after_window"`
		Policy       string    `json:"policy"`
		Skipped      []skip    `json:"skipped"`
	}](t, out)
	if v.Disclosure.Format(time.RFC3339) != "2026-08-25T15:00:00Z" || v.Local != "2026-08-26T00:00:00+09:00" ||
		v.NoticeDay != "2026-07-30" || v.BusinessDays != 4 || !v.AfterWindow || len(v.Skipped) != 25 {
		t.Fatalf("got %+v", v)
	}
	if v.Policy != "1-1 business days at 15:00 UTC; never Friday, Monday; country holidays: none; periods: summer (1 Aug – 20 Aug)" {
		t.Errorf("policy %q", v.Policy)
	}
	if s := v.Skipped[3]; s != (skip{"2026-08-03", "holiday period", "summer (1 Aug – 20 Aug)"}) {
		t.Errorf("skip 3 = %+v", s)
	}
}

func TestDisclosureDateNoPeriodNoAvoid(t *testing.T) {
	u := newCLIUser(t)
	u.env["TZ"] = "UTC"
	got := u.ok("disclosure-date", "--from", "2026-12-22", "--period", "none", "--avoid", "none")
	if !strings.HasPrefix(got, "Disclosure:  Friday 2026-12-25 00:00 UTC\n") {
		t.Errorf("got:\n%s", got)
	}
}

func TestDisclosureDateDefaultsToToday(t *testing.T) {
	u := newCLIUser(t)
	u.env["TZ"] = "UTC"
	before := time.Now().UTC()
	got := u.ok("disclosure-date")
	// Either day, should the test run across midnight UTC.
	if !strings.Contains(got, "Notice day:  "+before.Format("Monday 2006-01-02")) && !strings.Contains(got, "Notice day:  "+time.Now().UTC().Format("Monday 2006-01-02")) {
		t.Errorf("got:\n%s", got)
	}
}

func TestDisclosureDateBadInput(t *testing.T) {
	u := newCLIUser(t)
	u.fails(exitUsage, "countries: no holiday calendar for \"XX\"", "disclosure-date", "--country", "XX")
	u.fails(exitUsage, "window: 5-3 ends before it starts", "disclosure-date", "--window", "5-3")
	u.fails(exitUsage, `--window: "x" is not a range`, "disclosure-date", "--window", "x")
	u.fails(exitUsage, "hour: 24 is not an hour of the day", "disclosure-date", "--hour", "24")
	u.fails(exitUsage, `--from: "2026-13-01" is not a date YYYY-MM-DD`, "disclosure-date", "--from", "2026-13-01")
	u.fails(exitUsage, `--period: "summer" is not NAME=MM-DD..MM-DD`, "disclosure-date", "--period", "summer")
	u.fails(exitUsage, `--avoid: weekday: "someday"`, "disclosure-date", "--avoid", "someday")
	u.fails(exitUsage, "every weekday from Monday to Friday is avoided", "disclosure-date", "--avoid", "mon,tue,wed,thu,fri")
	u.fails(exitUsage, "usage: vmt disclosure-date [flags]", "disclosure-date", "extra")
}
