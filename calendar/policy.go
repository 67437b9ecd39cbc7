// Package calendar chooses disclosure dates: a window of business days after
// the notice, never on a weekday the policy avoids (Monday and Friday by
// default: a disclosure that lands before or after a weekend leaves
// downstream teams no working day to react), never on a holiday, at a fixed
// hour in UTC.
package calendar

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Policy is a project's rule for disclosure dates. The zero value is not
// valid; start from DefaultPolicy.
type Policy struct {
	// MinDays and MaxDays bound the window, in business days after the
	// day of the notice (both inclusive).
	MinDays, MaxDays int
	// Hour is the hour of the disclosure, in UTC (0–23).
	Hour int
	// Avoid lists the weekdays never chosen, even though they count as
	// business days. Saturday and Sunday are never chosen anyway.
	Avoid []time.Weekday
	// Countries are ISO 3166-1 codes (or AU-NSW style subdivisions where
	// a country has only regional calendars) whose public holidays are
	// never chosen; see Countries for the list.
	Countries []string
	// Periods are holiday periods that recur every year, such as the
	// end-of-year break.
	Periods []Period
}

// DefaultPolicy is the seed's rule: 3 to 5 business days, 00:00 UTC, never
// a Monday or a Friday, and no disclosure between 24 December and 2 January.
func DefaultPolicy() Policy {
	return Policy{
		MinDays: 3, MaxDays: 5, Hour: 0,
		Avoid:   []time.Weekday{time.Monday, time.Friday},
		Periods: []Period{EndOfYear()},
	}
}

// EndOfYear is the default holiday period, 24 December to 2 January.
func EndOfYear() Period {
	return Period{Name: "end of year", From: MonthDay{time.December, 24}, To: MonthDay{time.January, 2}}
}

// maxWindow bounds the window: an embargo longer than a few weeks is a
// different decision than a disclosure date, and the project's embargo
// limit (14 days by default) is far below it.
const maxWindow = 60

// Validate reports the first thing wrong with p, naming the setting.
func (p Policy) Validate() error {
	switch {
	case p.MinDays < 1:
		return fmt.Errorf("window: the first day must be at least 1 business day after the notice, not %d", p.MinDays)
	case p.MaxDays < p.MinDays:
		return fmt.Errorf("window: %d-%d ends before it starts", p.MinDays, p.MaxDays)
	case p.MaxDays > maxWindow:
		return fmt.Errorf("window: %d business days is more than the %d allowed", p.MaxDays, maxWindow)
	case p.Hour < 0 || p.Hour > 23:
		return fmt.Errorf("hour: %d is not an hour of the day (0-23)", p.Hour)
	}
	if err := p.validateAvoid(); err != nil {
		return err
	}
	for _, c := range p.Countries {
		if _, err := holidaysOf(c); err != nil {
			return err
		}
	}
	for i, per := range p.Periods {
		if err := per.Validate(); err != nil {
			return fmt.Errorf("period %d: %w", i+1, err)
		}
	}
	return nil
}

func (p Policy) validateAvoid() error {
	left := 0
	for d := time.Monday; d <= time.Friday; d++ {
		if !slices.Contains(p.Avoid, d) {
			left++
		}
	}
	for _, d := range p.Avoid {
		if d < time.Sunday || d > time.Saturday {
			return fmt.Errorf("avoid: %d is not a weekday", int(d))
		}
	}
	if left == 0 {
		return fmt.Errorf("avoid: every weekday from Monday to Friday is avoided, so no day can ever be chosen")
	}
	return nil
}

// ParseWindow reads a window written "3-5" (or "4" for a single day).
func ParseWindow(s string) (minDays, maxDays int, err error) {
	lo, hi, found := strings.Cut(strings.TrimSpace(s), "-")
	if !found {
		hi = lo
	}
	minDays, err1 := strconv.Atoi(strings.TrimSpace(lo))
	maxDays, err2 := strconv.Atoi(strings.TrimSpace(hi))
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("window: %q is not a range of business days such as 3-5", s)
	}
	return minDays, maxDays, nil
}

// ParseWeekday reads an English weekday name or its first three letters.
func ParseWeekday(s string) (time.Weekday, error) {
	l := strings.ToLower(strings.TrimSpace(s))
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := strings.ToLower(d.String())
		if l == name || l == name[:3] {
			return d, nil
		}
	}
	return 0, fmt.Errorf("weekday: %q is not a day of the week", s)
}
