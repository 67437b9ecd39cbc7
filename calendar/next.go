package calendar

import (
	"fmt"
	"slices"
	"time"
)

// Reason says why a day was not chosen.
type Reason string

// The reasons a day is passed over, in the order they are checked.
const (
	Weekend      Reason = "weekend"
	Holiday      Reason = "holiday"
	InPeriod     Reason = "holiday period"
	BeforeWindow Reason = "before the window"
	Avoided      Reason = "avoided weekday"
)

// Skip is a day that was considered and passed over.
type Skip struct {
	Day    time.Time // the day, at 00:00 UTC
	Reason Reason
	Detail string // e.g. "Saturday", "Christmas Day in US", "business day 2 of 3-5"
}

// String writes the skip as "Sat 2026-11-28  weekend: Saturday".
func (s Skip) String() string {
	return fmt.Sprintf("%s  %s: %s", s.Day.Format("Mon 2006-01-02"), s.Reason, s.Detail)
}

// Decision is a disclosure date and how it was reached.
type Decision struct {
	At           time.Time // the disclosure instant, in UTC
	Notice       time.Time // the day of the notice, at 00:00 UTC
	BusinessDays int       // business days after the notice day, At's day included
	AfterWindow  bool      // no day in the window qualified; At is the first after it
	Skipped      []Skip    // every day between the notice day and At, in order
}

// searchLimit bounds the walk: a policy whose periods and avoided days
// leave nothing for this long is a mistake to report, not to loop on.
const searchLimit = 2 * 366

// Next returns the disclosure date for a notice sent at from: the first
// day at least MinDays business days after the day of from (in UTC) that
// is a business day and not an avoided weekday, at the policy's hour.
// That day is in the window when one qualifies there; otherwise it is the
// first qualifying day after the window.
//
// Business days are Monday to Friday, except the public holidays of the
// policy's countries and the days of its holiday periods: those do not
// count towards the window, because the window is the working time
// downstream teams get to prepare, and nobody prepares on a holiday.
// Avoided weekdays (Monday, Friday) do count; they are only never chosen.
//
// Next returns an error naming the setting if the policy is invalid, or if
// no day qualifies within two years.
func (p Policy) Next(from time.Time) (Decision, error) {
	if err := p.Validate(); err != nil {
		return Decision{}, err
	}
	notice := dayOf(from)
	d := Decision{Notice: notice}
	for i := 1; i <= searchLimit; i++ {
		day := notice.AddDate(0, 0, i)
		skip, business := p.offDay(day)
		if business {
			d.BusinessDays++
			skip = p.unchosen(day, d.BusinessDays)
		}
		if skip.Reason == "" {
			d.At = day.Add(time.Duration(p.Hour) * time.Hour)
			d.AfterWindow = d.BusinessDays > p.MaxDays
			return d, nil
		}
		d.Skipped = append(d.Skipped, skip)
	}
	return Decision{}, fmt.Errorf("no day qualifies within two years of %s: the holiday periods and avoided weekdays leave none", notice.Format(time.DateOnly))
}

// dayOf is the start of t's day in UTC.
func dayOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// offDay reports why day is not a business day, or that it is one.
func (p Policy) offDay(day time.Time) (Skip, bool) {
	if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return Skip{day, Weekend, wd.String()}, false
	}
	for _, c := range p.Countries {
		if name, ok := holiday(c, day); ok {
			return Skip{day, Holiday, name + " in " + c}, false
		}
	}
	for _, per := range p.Periods {
		if per.Contains(day) {
			return Skip{day, InPeriod, per.String()}, false
		}
	}
	return Skip{}, true
}

// unchosen reports why business day number n is not chosen; an empty
// Reason means it is.
func (p Policy) unchosen(day time.Time, n int) Skip {
	if n < p.MinDays {
		return Skip{day, BeforeWindow, fmt.Sprintf("business day %d of %d-%d", n, p.MinDays, p.MaxDays)}
	}
	if wd := day.Weekday(); slices.Contains(p.Avoid, wd) {
		return Skip{day, Avoided, fmt.Sprintf("%s, business day %d of %d-%d", wd, n, p.MinDays, p.MaxDays)}
	}
	return Skip{}
}
