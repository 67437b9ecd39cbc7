package http

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
)

// List is the shape of every list answer.
type List[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Limit  int `json:"limit,omitempty"`
	Offset int `json:"offset,omitempty"`
	// More says that a search matched more than vmt.MaxSearchMatches
	// reports: Total is then that bound, and the newest are listed.
	More bool `json:"more,omitempty"`
}

// searchTotal turns the store's count of a search, which stops one past
// vmt.MaxSearchMatches, into the total shown and whether there are more.
func searchTotal(f vmt.ReportFilter, n int) (int, bool) {
	if strings.TrimSpace(f.Query) != "" && n > vmt.MaxSearchMatches {
		return vmt.MaxSearchMatches, true
	}
	return n, false
}

func (s *Server) listReports(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := vmt.ReportFilter{Query: q.Get("q")} // full-text search; the service checks it
	var err error
	if v := q.Get("status"); v != "" {
		if f.Status, err = vmt.ParseStatus("status", v); err != nil {
			return err
		}
	}
	if v := q.Get("class"); v != "" {
		if f.Class, err = vmt.ParseClass("class", v); err != nil {
			return err
		}
	}
	switch v := vmt.Visibility(q.Get("visibility")); v {
	case "", vmt.Private, vmt.Public:
		f.Visibility = v
	default:
		return vmt.Invalid("visibility", "%q is not private or public", v)
	}
	switch v := q.Get("overdue"); v {
	case "", "false", "0":
	case "true", "1":
		f.Overdue = true
	default:
		return vmt.Invalid("overdue", "%q is not true or false", v)
	}
	if v := q.Get("project"); v != "" {
		p, err := s.svc.Project(r.Context(), actorFrom(r.Context()), v)
		if err != nil {
			return vmt.Invalid("project", "no project is named %q", v)
		}
		f.ProjectID = p.ID
	}
	for name, dst := range map[string]*int64{"coordinator": &f.CoordinatorID, "reporter": &f.ReporterID} {
		n, err := queryInt(r, name)
		if err != nil {
			return err
		}
		*dst = int64(n)
	}
	if f.Limit, err = queryInt(r, "limit"); err != nil {
		return err
	}
	if f.Offset, err = queryInt(r, "offset"); err != nil {
		return err
	}
	rs, total, err := s.svc.Reports(r.Context(), actorFrom(r.Context()), f)
	if err != nil {
		return err
	}
	total, more := searchTotal(f, total)
	limit := f.Limit
	if limit == 0 {
		limit = vmt.DefaultPageSize
	}
	return writeJSON(w, http.StatusOK, List[*vmt.ReportView]{Items: rs, Total: total, Limit: limit, Offset: f.Offset, More: more})
}

func (s *Server) createReport(w http.ResponseWriter, r *http.Request) error {
	var in vmt.ReportInput
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.svc.CreateReport(r.Context(), actorFrom(r.Context()), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/reports/"+strconv.FormatInt(v.ID, 10))
	return writeJSON(w, http.StatusCreated, v)
}

func (s *Server) getReport(w http.ResponseWriter, r *http.Request) error {
	return reportOne(w, r, s.svc.Report)
}

// reportAction decodes a body into In, then calls fn with the id of the
// path (a report's, or an advisory's or a request's on their routes).
func reportAction[In any](s *Server, fn func(r *http.Request, id int64, in In) (any, error)) handler {
	return reportHandler(http.StatusOK, fn)
}

// reportCreate is reportAction for an action that makes something: the
// answer is 201 Created.
func reportCreate[In any](fn func(r *http.Request, id int64, in In) (any, error)) handler {
	return reportHandler(http.StatusCreated, fn)
}

// reportHandler is reportAction and reportCreate, answering with status.
func reportHandler[In any](status int, fn func(r *http.Request, id int64, in In) (any, error)) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var in In
		// An action without input may be sent with no body at all.
		decodeIn := decode
		if _, none := any(in).(empty); none {
			decodeIn = decodeOptional
		}
		if err := decodeIn(r, &in); err != nil {
			return err
		}
		out, err := fn(r, id, in)
		if err != nil {
			return err
		}
		return writeJSON(w, status, out)
	}
}

// empty is the body of an action that takes no input: {} or nothing.
type empty struct{}

func (s *Server) updateReport(w http.ResponseWriter, r *http.Request) error {
	return reportAction(s, func(r *http.Request, id int64, p vmt.ReportPatch) (any, error) {
		return s.svc.UpdateReport(r.Context(), actorFrom(r.Context()), id, p)
	})(w, r)
}

func (s *Server) transition(w http.ResponseWriter, r *http.Request) error {
	return reportAction(s, func(r *http.Request, id int64, in vmt.TransitionInput) (any, error) {
		return s.svc.Transition(r.Context(), actorFrom(r.Context()), id, in)
	})(w, r)
}

func (s *Server) classify(w http.ResponseWriter, r *http.Request) error {
	return reportAction(s, func(r *http.Request, id int64, in struct {
		Class string `json:"class"`
	}) (any, error) {
		return s.svc.Classify(r.Context(), actorFrom(r.Context()), id, in.Class)
	})(w, r)
}

func (s *Server) assign(w http.ResponseWriter, r *http.Request) error {
	return reportAction(s, func(r *http.Request, id int64, in struct {
		CoordinatorID int64 `json:"coordinator_id"`
	}) (any, error) {
		return s.svc.Assign(r.Context(), actorFrom(r.Context()), id, in.CoordinatorID)
	})(w, r)
}

func (s *Server) cveRequest(w http.ResponseWriter, r *http.Request) error {
	return reportAction(s, func(r *http.Request, id int64, _ empty) (any, error) {
		return s.svc.RecordCVERequest(r.Context(), actorFrom(r.Context()), id)
	})(w, r)
}

func (s *Server) publicize(w http.ResponseWriter, r *http.Request) error {
	return reportAction(s, func(r *http.Request, id int64, in struct {
		Reason string `json:"reason"`
	}) (any, error) {
		return s.svc.MakePublic(r.Context(), actorFrom(r.Context()), id, in.Reason)
	})(w, r)
}

// triage answers with what the VMT weighs a report with in a flood: the
// reports most like it, with why, and its reporter's record.
func (s *Server) triage(w http.ResponseWriter, r *http.Request) error {
	return reportOne(w, r, s.svc.Triage)
}

// markDuplicate marks a report a duplicate of another, {"of": N}, with
// "subscribe": true to let its reporter into the original.
func (s *Server) markDuplicate(w http.ResponseWriter, r *http.Request) error {
	return reportAction(s, func(r *http.Request, id int64, in app.DuplicateInput) (any, error) {
		return s.svc.MarkDuplicate(r.Context(), actorFrom(r.Context()), id, in)
	})(w, r)
}

// moveDisclosure moves the disclosure date of a report whose notice is
// out, for a reason; every recipient of the notice is told. The date is
// YYYY-MM-DD (00:00 UTC, the disclosure hour) or an RFC 3339 instant.
func (s *Server) moveDisclosure(w http.ResponseWriter, r *http.Request) error {
	return reportAction(s, func(r *http.Request, id int64, in MoveDisclosureInput) (any, error) {
		at, err := parseDisclosureAt(in.DisclosureAt)
		if err != nil {
			return nil, err
		}
		return s.svc.MoveDisclosure(r.Context(), actorFrom(r.Context()), id, at, in.Reason, in.OverrideReason)
	})(w, r)
}

// MoveDisclosureInput is the body of POST /reports/{id}/disclosure-date.
type MoveDisclosureInput struct {
	DisclosureAt   string `json:"disclosure_at"`
	Reason         string `json:"reason"`
	OverrideReason string `json:"override_reason,omitempty"`
}

// parseDisclosureAt reads a date (00:00 UTC) or an RFC 3339 instant.
func parseDisclosureAt(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, vmt.Invalid("disclosure_at", "%q is not a date (YYYY-MM-DD, meaning 00:00 UTC) or an RFC 3339 time", s)
	}
	return t.UTC(), nil
}

func (s *Server) subscriptions(w http.ResponseWriter, r *http.Request) error {
	return reportList(w, r, s.svc.Subscriptions)
}

func (s *Server) subscribe(w http.ResponseWriter, r *http.Request) error {
	return reportCreate(func(r *http.Request, id int64, in struct {
		UserID int64 `json:"user_id"`
	}) (any, error) {
		return s.svc.Subscribe(r.Context(), actorFrom(r.Context()), id, in.UserID)
	})(w, r)
}

func (s *Server) unsubscribe(w http.ResponseWriter, r *http.Request) error {
	return reportUserRemove(w, r, s.svc.Unsubscribe)
}

// reportUserRemove ends what fn ends for the report {id} and the user
// {user} of the path, answering 204 No Content.
func reportUserRemove(w http.ResponseWriter, r *http.Request, fn func(ctx context.Context, a vmt.Actor, id, uid int64) error) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	uid, err := pathID(r, "user")
	if err != nil {
		return err
	}
	if err := fn(r.Context(), actorFrom(r.Context()), id, uid); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) comments(w http.ResponseWriter, r *http.Request) error {
	return reportList(w, r, s.svc.Comments)
}

func (s *Server) addComment(w http.ResponseWriter, r *http.Request) error {
	return reportCreate(func(r *http.Request, id int64, in struct {
		Body string `json:"body"`
	}) (any, error) {
		return s.svc.AddComment(r.Context(), actorFrom(r.Context()), id, in.Body)
	})(w, r)
}

func (s *Server) reportAudit(w http.ResponseWriter, r *http.Request) error {
	return reportList(w, r, s.svc.ReportAudit)
}

func (s *Server) extent(w http.ResponseWriter, r *http.Request) error {
	return reportList(w, r, s.svc.Extent)
}

// reportOne answers with what fn returns for the id of the path.
func reportOne[T any](w http.ResponseWriter, r *http.Request, fn func(ctx context.Context, a vmt.Actor, id int64) (T, error)) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := fn(r.Context(), actorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

// reportList answers with the list fn returns for the report in the path.
func reportList[T any](w http.ResponseWriter, r *http.Request, fn func(ctx context.Context, a vmt.Actor, id int64) ([]T, error)) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	items, err := fn(r.Context(), actorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	if items == nil {
		items = []T{}
	}
	return writeJSON(w, http.StatusOK, List[T]{Items: items, Total: len(items)})
}
