package http

import (
	"net/http"
	"strings"

	"github.com/vmtproject/vmt"
)

func (s *Server) reportComment(w http.ResponseWriter, r *http.Request) error {
	return s.reportAction(func(r *http.Request, a vmt.Actor, id int64) (string, error) {
		_, err := s.svc.AddComment(r.Context(), a, id, normalizeNewlines(r.PostForm.Get("body")))
		return "Your comment is posted.", err
	})(w, r)
}

// reportTerms records the reporter's disclosure terms and the fields they
// want never disclosed.
func (s *Server) reportTerms(w http.ResponseWriter, r *http.Request) error {
	return s.reportAction(func(r *http.Request, a vmt.Actor, id int64) (string, error) {
		terms := strings.TrimSpace(normalizeNewlines(r.PostForm.Get("reporter_terms")))
		never := r.PostForm["never_disclose"]
		if never == nil {
			never = []string{}
		}
		_, err := s.svc.UpdateReport(r.Context(), a, id, vmt.ReportPatch{ReporterTerms: &terms, NeverDisclose: &never})
		return "The disclosure terms are recorded.", err
	})(w, r)
}
