package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	vmthttp "github.com/vmtproject/vmt/http"
)

// emitJSON writes v as indented JSON, the shape the API answers with.
func emitJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

// emitList writes items as the API's list JSON.
func emitList[T any](w io.Writer, items []T) error {
	if items == nil {
		items = []T{}
	}
	return emitJSON(w, vmthttp.List[T]{Items: items, Total: len(items)})
}

// table writes aligned columns; rows are tab-separated cells.
type table struct{ tw *tabwriter.Writer }

func newTable(w io.Writer, header ...string) *table {
	t := &table{tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)}
	t.row(header...)
	return t
}

func (t *table) row(cells ...string) {
	for i, c := range cells {
		cells[i] = oneLine(c)
	}
	fmt.Fprintln(t.tw, strings.Join(cells, "\t"))
}

func (t *table) flush() error { return t.tw.Flush() }

// oneLine keeps a cell on one line and its tabs out of the column layout.
func oneLine(s string) string {
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ").Replace(s)
	if s == "" {
		return "-"
	}
	return s
}

// clip shortens s to n characters, marking the cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// when formats a time for people, to the minute, in UTC and, where the
// local zone differs, in local time too, date and zone name included (the
// hour 00:00 UTC is the evening before in the Americas): an embargo hour
// read in the wrong zone is how embargoes break early.
func when(t time.Time) string { return whenIn(t, time.Local, os.Getenv("TZ")) }

// whenIn is when in the zone loc, named name (the TZ variable; "" when
// the zone is the system's).
func whenIn(t time.Time, loc *time.Location, name string) string {
	if t.IsZero() {
		return "-"
	}
	u := t.UTC().Format("2006-01-02 15:04 UTC")
	l := t.In(loc)
	if _, off := l.Zone(); off == 0 {
		return u
	}
	local := l.Format("Mon 2006-01-02 15:04 MST")
	if name = strings.TrimPrefix(name, ":"); name != "" && name != "Local" {
		local += ", " + name
	}
	return u + " (" + local + ")"
}

// whenp is when for an optional time.
func whenp(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return when(*t)
}

// userRef names a user by id; 0 is nobody (or the system).
func userRef(id int64, zero string) string {
	if id == 0 {
		return zero
	}
	return fmt.Sprintf("user %d", id)
}

// fields writes "name: value" lines with the values aligned.
func fields(w io.Writer, kv ...string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	for i := 0; i+1 < len(kv); i += 2 {
		fmt.Fprintf(tw, "%s:\t%s\n", kv[i], oneLine(kv[i+1]))
	}
	return tw.Flush()
}
