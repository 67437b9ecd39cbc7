package http

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
)

// reportImpact posts the impact description, which the move to Triaged
// requires.
func (s *Server) reportImpact(w http.ResponseWriter, r *http.Request) error {
	return s.reportAction(func(r *http.Request, a vmt.Actor, id int64) (string, error) {
		text := normalizeNewlines(r.PostForm.Get("impact_description"))
		_, err := s.svc.UpdateReport(r.Context(), a, id, vmt.ReportPatch{ImpactDescription: &text})
		return "The impact description is saved.", err
	})(w, r)
}

// reportCVERequest records that a CVE was requested, which the move to In
// Progress requires.
func (s *Server) reportCVERequest(w http.ResponseWriter, r *http.Request) error {
	return s.reportAction(func(r *http.Request, a vmt.Actor, id int64) (string, error) {
		_, err := s.svc.RecordCVERequest(r.Context(), a, id)
		return "The CVE request is recorded.", err
	})(w, r)
}

// reportCVEs records the assigned CVE ids; the service retitles the report.
func (s *Server) reportCVEs(w http.ResponseWriter, r *http.Request) error {
	return s.reportAction(func(r *http.Request, a vmt.Actor, id int64) (string, error) {
		ids := []string{}
		for _, c := range strings.FieldsFunc(r.PostForm.Get("cves"), func(c rune) bool { return c == ',' || c == ' ' }) {
			ids = append(ids, strings.ToUpper(c))
		}
		_, err := s.svc.UpdateReport(r.Context(), a, id, vmt.ReportPatch{CVEs: &ids})
		return "The CVE ids are recorded.", err
	})(w, r)
}

// reportPublicize ends the embargo now, for a reason (a leak, or a report
// better solved in the open).
func (s *Server) reportPublicize(w http.ResponseWriter, r *http.Request) error {
	return s.reportAction(func(r *http.Request, a vmt.Actor, id int64) (string, error) {
		_, err := s.svc.MakePublic(r.Context(), a, id, r.PostForm.Get("reason"))
		return "The report is public.", err
	})(w, r)
}

// reportDuplicate marks the report a duplicate of the one the form names,
// from the triage section's list.
func (s *Server) reportDuplicate(w http.ResponseWriter, r *http.Request) error {
	return s.reportAction(func(r *http.Request, a vmt.Actor, id int64) (string, error) {
		of, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(r.PostForm.Get("of")), "#"), 10, 64)
		if err != nil || of <= 0 {
			return "", vmt.Invalid("of", "%q is not a report number", r.PostForm.Get("of"))
		}
		_, err = s.svc.MarkDuplicate(r.Context(), a, id, app.DuplicateInput{Of: of, Subscribe: r.PostForm.Get("subscribe") == "on"})
		return fmt.Sprintf("The report is marked a duplicate of #%d; its reporter is told.", of), err
	})(w, r)
}
