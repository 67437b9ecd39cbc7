package http

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
)

// auditPage is the data of /admin/audit: the filters as given, and the
// events they select in words.
type auditPage struct {
	Nav                          adminNav
	Actor, Action, Report, Since string
	Rows                         []auditRow
	NextURL                      string // the page of older events, "" on the last
	// Users and Actions fill the filter's choices: every address, and
	// every action in words.
	Users   []string
	Actions []auditChoice
}

// auditChoice is one action of the filter's list.
type auditChoice struct {
	Action, Words string
}

// auditChoices lists every action in words, sorted by them.
func auditChoices() []auditChoice {
	out := make([]auditChoice, 0, len(auditPhrases))
	for a, w := range auditPhrases {
		out = append(out, auditChoice{a, w})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Words < out[j].Words })
	return out
}

// auditRow is one audit event as a person reads it.
type auditRow struct {
	Seq      int64
	At       time.Time
	Actor    string // an address, or "the system"
	Action   string // the stored name, for filtering
	Words    string // what happened, in words
	ReportID int64
	Subject  string
	Changes  []auditChange
}

// auditChange is one field of an event: what it was and what it became
// (either empty when the event made or removed it).
type auditChange struct {
	Field, Before, After string
}

// adminAuditPage shows the audit log, filtered by who acted (an
// address), what was done (actions), a report and a time, latest first a
// page at a time: each event in words with the fields it changed, not
// the stored JSON.
func (s *Server) adminAuditPage(w http.ResponseWriter, r *http.Request) error {
	ctx, a := r.Context(), actorFrom(r.Context())
	if err := adminPage(a); err != nil {
		return err
	}
	q := r.URL.Query()
	p := &auditPage{Actor: strings.TrimSpace(q.Get("actor")), Action: strings.TrimSpace(q.Get("action")),
		Report: strings.TrimSpace(strings.TrimPrefix(q.Get("report"), "#")), Since: strings.TrimSpace(q.Get("since"))}
	users, err := s.svc.Users(ctx, a)
	if err != nil {
		return err
	}
	emails := map[int64]string{}
	for _, u := range users {
		emails[u.ID] = u.Email
		p.Users = append(p.Users, u.Email)
	}
	sort.Strings(p.Users)
	p.Actions = auditChoices()
	f, err := auditFilterOf(p, users)
	if err != nil {
		return err
	}
	if f.BeforeSeq, err = queryInt64(q, "before"); err != nil {
		return err
	}
	f.Limit, f.Latest = vmt.DefaultPageSize, true
	evs, err := s.svc.AuditSearch(ctx, a, f)
	if err != nil {
		return err
	}
	slices.Reverse(evs) // latest first
	for _, e := range evs {
		p.Rows = append(p.Rows, auditRowOf(e, emails))
	}
	if len(evs) == f.Limit {
		v := url.Values{"actor": {p.Actor}, "action": {p.Action}, "report": {p.Report}, "since": {p.Since},
			"before": {strconv.FormatInt(evs[len(evs)-1].Seq, 10)}}
		p.NextURL = "/admin/audit?" + v.Encode()
	}
	if p.Nav, err = s.adminNav(r, "audit"); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin_audit", "Audit log", p)
}

// auditFilterOf reads the page's filters: an address (or user id), actions
// separated by commas or spaces, a report number, and a date or RFC 3339
// time. A filter that cannot be read is EINVALID naming its field.
func auditFilterOf(p *auditPage, users []*vmt.User) (vmt.AuditFilter, error) {
	var f vmt.AuditFilter
	if p.Actor != "" {
		for _, u := range users {
			if strings.EqualFold(u.Email, p.Actor) || strconv.FormatInt(u.ID, 10) == p.Actor {
				f.ActorID = u.ID
			}
		}
		if f.ActorID == 0 {
			return f, vmt.Invalid("actor", "no user has the address %q", p.Actor)
		}
	}
	f.Actions = strings.FieldsFunc(p.Action, func(r rune) bool { return r == ',' || r == ' ' })
	if p.Report != "" {
		n, err := strconv.ParseInt(p.Report, 10, 64)
		if err != nil || n <= 0 {
			return f, vmt.Invalid("report", "%q is not a report number", p.Report)
		}
		f.ReportID = n
	}
	if p.Since != "" {
		t, err := time.Parse(time.DateOnly, p.Since)
		if err != nil {
			if t, err = time.Parse(time.RFC3339, p.Since); err != nil {
				return f, vmt.Invalid("since", "%q is neither a date (2026-12-01, UTC) nor a time (2026-12-01T09:00:00Z)", p.Since)
			}
		}
		f.Since = t
	}
	return f, nil
}

func queryInt64(q url.Values, name string) (int64, error) {
	s := q.Get(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, vmt.Invalid(name, "%q is not a sequence number", s)
	}
	return n, nil
}

func auditRowOf(e *vmt.AuditEvent, emails map[int64]string) auditRow {
	row := auditRow{Seq: e.Seq, At: e.At, Action: e.Action, Words: auditWords(e.Action), ReportID: e.ReportID,
		Subject: e.Subject, Changes: auditChanges(e.Before, e.After)}
	switch name, ok := emails[e.ActorID]; {
	case e.ActorID == 0:
		row.Actor = "the system"
	case ok:
		row.Actor = name
	default:
		row.Actor = "user " + strconv.FormatInt(e.ActorID, 10)
	}
	return row
}

// auditChanges lists the fields of an event's snapshots, each with its
// value before and after in words; a field both sides hold alike is left
// out (it did not change). A snapshot that is no JSON object is one
// field, "value".
func auditChanges(before, after json.RawMessage) []auditChange {
	b, a := auditFields(before), auditFields(after)
	keys := map[string]bool{}
	for k := range b {
		keys[k] = true
	}
	for k := range a {
		keys[k] = true
	}
	var out []auditChange
	for k := range keys {
		bv, av := auditValue(b[k]), auditValue(a[k])
		_, inB := b[k]
		_, inA := a[k]
		if inB && inA && bv == av {
			continue
		}
		out = append(out, auditChange{Field: strings.ReplaceAll(k, "_", " "), Before: bv, After: av})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

func auditFields(raw json.RawMessage) map[string]json.RawMessage {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return map[string]json.RawMessage{"value": raw}
	}
	return m
}

// auditValue says a snapshot's value as text: a string as written
// (shortened), a list joined by commas, yes and no, an object as its
// fields.
func auditValue(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return short(string(raw))
	}
	return short(plainValue(v))
}

func plainValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "none"
	case string:
		return v
	case bool:
		if v {
			return "yes"
		}
		return "no"
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = plainValue(x)
		}
		if len(parts) == 0 {
			return "none"
		}
		return strings.Join(parts, ", ")
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = strings.ReplaceAll(k, "_", " ") + ": " + plainValue(v[k])
		}
		return strings.Join(parts, "; ")
	}
	return fmt.Sprint(v)
}
