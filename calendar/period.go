package calendar

import (
	"fmt"
	"strings"
	"time"
)

// MonthDay is a day of the year without a year, for periods that recur.
type MonthDay struct {
	Month time.Month
	Day   int
}

// String writes the day as "24 Dec".
func (m MonthDay) String() string { return fmt.Sprintf("%d %s", m.Day, m.Month.String()[:3]) }

func (m MonthDay) before(o MonthDay) bool {
	return m.Month < o.Month || m.Month == o.Month && m.Day < o.Day
}

// validate accepts 29 February: a period that starts or ends on it simply
// matches nothing that day in common years.
func (m MonthDay) validate() error {
	if m.Month < time.January || m.Month > time.December {
		return fmt.Errorf("month %d is not a month", int(m.Month))
	}
	days := time.Date(2024, m.Month+1, 0, 0, 0, 0, 0, time.UTC).Day() // 2024: a leap year
	if m.Day < 1 || m.Day > days {
		return fmt.Errorf("%s has no day %d", m.Month, m.Day)
	}
	return nil
}

// Period is a holiday period that recurs every year, both ends included.
// From after To wraps over the new year (24 Dec – 2 Jan).
type Period struct {
	Name     string
	From, To MonthDay
}

// String writes the period as "end of year (24 Dec – 2 Jan)".
func (p Period) String() string { return fmt.Sprintf("%s (%s – %s)", p.Name, p.From, p.To) }

// Validate checks the name and both ends.
func (p Period) Validate() error {
	if strings.TrimSpace(p.Name) == "" {
		return fmt.Errorf("a holiday period needs a name, such as \"end of year\"")
	}
	if err := p.From.validate(); err != nil {
		return fmt.Errorf("%s: start: %w", p.Name, err)
	}
	if err := p.To.validate(); err != nil {
		return fmt.Errorf("%s: end: %w", p.Name, err)
	}
	return nil
}

// Contains reports whether the date (its year, month and day) is in p.
func (p Period) Contains(date time.Time) bool {
	d := MonthDay{date.Month(), date.Day()}
	if !p.To.before(p.From) {
		return !d.before(p.From) && !p.To.before(d)
	}
	return !d.before(p.From) || !p.To.before(d)
}

// ParsePeriod reads "NAME=MM-DD..MM-DD", e.g. "end of year=12-24..01-02".
func ParsePeriod(s string) (Period, error) {
	name, span, ok := strings.Cut(s, "=")
	from, to, ok2 := strings.Cut(span, "..")
	if !ok || !ok2 {
		return Period{}, fmt.Errorf("period: %q is not NAME=MM-DD..MM-DD (e.g. \"end of year=12-24..01-02\")", s)
	}
	p := Period{Name: strings.TrimSpace(name)}
	var err error
	if p.From, err = parseMonthDay(from); err != nil {
		return Period{}, fmt.Errorf("period %q: %w", s, err)
	}
	if p.To, err = parseMonthDay(to); err != nil {
		return Period{}, fmt.Errorf("period %q: %w", s, err)
	}
	if err := p.Validate(); err != nil {
		return Period{}, fmt.Errorf("period: %w", err)
	}
	return p, nil
}

func parseMonthDay(s string) (MonthDay, error) {
	var m, d int
	if n, err := fmt.Sscanf(strings.TrimSpace(s), "%d-%d", &m, &d); err != nil || n != 2 {
		return MonthDay{}, fmt.Errorf("%q is not MM-DD", s)
	}
	md := MonthDay{time.Month(m), d}
	return md, md.validate()
}
