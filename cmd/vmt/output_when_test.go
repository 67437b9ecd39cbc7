package main

import (
	"testing"
	"time"
)

// TestWhenNamesTheLocalDate: a time is shown in UTC and, where the zone
// differs, in local time with its own date and the zone's name: the
// disclosure hour 00:00 UTC is the evening before in the Americas.
func TestWhenNamesTheLocalDate(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Fatal(err)
	}
	hour := time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		loc  *time.Location
		name string
		t    time.Time
		want string
	}{
		{la, "America/Los_Angeles", hour, "2026-12-08 00:00 UTC (Mon 2026-12-07 16:00 PST, America/Los_Angeles)"},
		{la, "", hour, "2026-12-08 00:00 UTC (Mon 2026-12-07 16:00 PST)"},
		{kolkata, ":Asia/Kolkata", hour, "2026-12-08 00:00 UTC (Tue 2026-12-08 05:30 IST, Asia/Kolkata)"},
		{time.UTC, "UTC", hour, "2026-12-08 00:00 UTC"},
		{la, "America/Los_Angeles", time.Time{}, "-"},
	} {
		if got := whenIn(tt.t, tt.loc, tt.name); got != tt.want {
			t.Errorf("whenIn(%v, %s) = %q, want %q", tt.t, tt.name, got, tt.want)
		}
	}
}
