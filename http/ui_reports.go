package http

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/vmtproject/vmt"
)

// reportsPage is the data of the dashboard.
type reportsPage struct {
	Reports  []*vmt.ReportView
	Total    int
	Counts   []statusCount // per status label, within the other filters
	Filter   dashFilter
	Projects []*vmt.Project
	Names    map[int64]string
	Statuses []vmt.StatusInfo
	Classes  []vmt.ClassInfo
	Coords   []*vmt.User // for the coordinator filter, VMT only
	Next     string      // the next page's query, if any
	More     bool        // the search matched more than vmt.MaxSearchMatches
	Now      time.Time
}

type statusCount struct {
	Status vmt.Status
	Label  string
	Count  int
	Query  string
}

// dashFilter is the dashboard's query, as the form sends it.
type dashFilter struct {
	Status, Class, Project, Coordinator, Reporter, Q string
	Embargoed, Overdue                               bool
	Offset                                           int
}

func (s *Server) reportsPage(w http.ResponseWriter, r *http.Request) error {
	a := actorFrom(r.Context())
	if a.User == nil {
		return vmt.Errorf(vmt.EUNAUTHENTICATED, "sign in to see your reports")
	}
	df := readDashFilter(r.URL.Query())
	f, err := s.reportFilter(r, df)
	if err != nil {
		return err
	}
	p := &reportsPage{Filter: df, Statuses: vmt.Statuses, Classes: vmt.Taxonomy, Now: time.Now().UTC()}
	p.Reports, p.Total, err = s.svc.Reports(r.Context(), a, f)
	p.Total, p.More = searchTotal(f, p.Total)
	if err == nil && df.Offset+len(p.Reports) < p.Total {
		p.Next = df.query("offset", strconv.Itoa(df.Offset+len(p.Reports)))
	}
	if err != nil {
		return err
	}
	if err := s.dashExtras(r, p, f); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "reports", "Reports", p)
}

// dashExtras fills what the dashboard shows beside the list: the count of
// each status label, the projects, the names of people.
func (s *Server) dashExtras(r *http.Request, p *reportsPage, f vmt.ReportFilter) error {
	a := actorFrom(r.Context())
	var err error
	if p.Projects, err = s.svc.Projects(r.Context(), a); err != nil {
		return err
	}
	counts, err := s.svc.StatusCounts(r.Context(), a, f)
	if err != nil {
		return err
	}
	for _, st := range vmt.Statuses {
		p.Counts = append(p.Counts, statusCount{st.Status, st.Label, counts[st.Status], p.Filter.query("status", string(st.Status))})
	}
	if users, err := s.svc.Directory(r.Context(), a); err == nil {
		for _, u := range users {
			if u.Role == vmt.RoleVMT || u.Role == vmt.RoleAdmin {
				p.Coords = append(p.Coords, u)
			}
		}
	}
	var ids []int64
	for _, v := range p.Reports {
		ids = append(ids, v.CoordinatorID, v.ReporterID)
	}
	p.Names, err = s.svc.UserNames(r.Context(), a, ids)
	return err
}

func readDashFilter(q url.Values) dashFilter {
	off, _ := strconv.Atoi(q.Get("offset"))
	return dashFilter{
		Status: q.Get("status"), Class: q.Get("class"), Project: q.Get("project"),
		Coordinator: q.Get("coordinator"), Reporter: q.Get("reporter"), Q: q.Get("q"),
		Embargoed: q.Get("embargoed") != "", Overdue: q.Get("overdue") != "", Offset: max(off, 0),
	}
}

// query returns the filter as a query string with key set to value.
func (df dashFilter) query(key, value string) string {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("status", df.Status)
	set("class", df.Class)
	set("project", df.Project)
	set("coordinator", df.Coordinator)
	set("reporter", df.Reporter)
	set("q", df.Q)
	if df.Embargoed {
		q.Set("embargoed", "1")
	}
	if df.Overdue {
		q.Set("overdue", "1")
	}
	q.Del(key)
	set(key, value)
	return "?" + q.Encode()
}

// reportFilter turns the dashboard's query into the service's filter, with
// the same checks as the API. "me" stands for the viewer.
func (s *Server) reportFilter(r *http.Request, df dashFilter) (vmt.ReportFilter, error) {
	a := actorFrom(r.Context())
	f := vmt.ReportFilter{Query: df.Q, Offset: df.Offset}
	var err error
	if df.Status != "" {
		if f.Status, err = vmt.ParseStatus("status", df.Status); err != nil {
			return f, err
		}
	}
	if f.Class, err = vmt.ParseClass("class", df.Class); err != nil {
		return f, err
	}
	if df.Embargoed {
		f.Visibility = vmt.Private
	}
	f.Overdue = df.Overdue
	if df.Project != "" {
		p, err := s.svc.Project(r.Context(), a, df.Project)
		if err != nil {
			return f, vmt.Invalid("project", "no project is named %q", df.Project)
		}
		f.ProjectID = p.ID
	}
	if f.CoordinatorID, err = userParam("coordinator", df.Coordinator, a); err != nil {
		return f, err
	}
	f.ReporterID, err = userParam("reporter", df.Reporter, a)
	return f, err
}

func userParam(field, v string, a vmt.Actor) (int64, error) {
	switch v {
	case "":
		return 0, nil
	case "me":
		return a.ID(), nil
	}
	if v == "0" {
		return 0, nil
	}
	n, ok := canonicalID(v)
	if !ok {
		return 0, vmt.Invalid(field, "%q is not a user id or \"me\"", v)
	}
	return n, nil
}
