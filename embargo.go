package vmt

import (
	"strconv"
	"strings"
)

// MaxEmbargoDays is the hard limit the embargo reminder quotes: no embargo
// lasts longer, whatever is asked.
const MaxEmbargoDays = 90

// EmbargoReminder is the text prefixed to the description of every report
// while it is private.
func EmbargoReminder() string {
	return "> **This report is under embargo.** Its content is private to the " +
		"vulnerability management team, the reporter and the people they let in. " +
		"Do not share it, mention it in public or push a fix for it to a public " +
		"repository before the disclosure date is announced. The embargo ends on " +
		"the agreed disclosure date and lasts no longer than " +
		strconv.Itoa(MaxEmbargoDays) + " days.\n\n"
}

// AddReminder prefixes r's description with the embargo reminder, once.
func AddReminder(r *Report) {
	if r.Reminder != "" {
		return
	}
	r.Reminder = EmbargoReminder()
	r.Description = r.Reminder + r.Description
}

// removeReminder takes the embargo reminder off r's description, exactly as
// it was prefixed. Text the reporter wrote is left alone.
func removeReminder(r *Report) {
	if r.Reminder == "" {
		return
	}
	r.Description = strings.TrimPrefix(r.Description, r.Reminder)
	r.Reminder = ""
}

// BodyWithoutReminder returns the description as the reporter wrote it.
func (r *Report) BodyWithoutReminder() string {
	return strings.TrimPrefix(r.Description, r.Reminder)
}
