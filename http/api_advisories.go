package http

import (
	"net/http"
	"strconv"

	"github.com/vmtproject/vmt"
)

// The advisory API: the documents of a report, their moves (embargo,
// publish, errata, withdraw) and their exports. Who may do what is the
// service's to decide: a draft or embargoed document is ENOTFOUND to
// anyone who may not see its report.

func (s *Server) reportAdvisories(w http.ResponseWriter, r *http.Request) error {
	return reportList(w, r, s.svc.ReportAdvisories)
}

// advisoryRecordDiff lists the fields of a draft that differ from what its
// report's record now makes of them.
func (s *Server) advisoryRecordDiff(w http.ResponseWriter, r *http.Request) error {
	return reportList(w, r, s.svc.AdvisoryRecordDiff)
}

func (s *Server) draftAdvisory(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in vmt.Advisory
	if err := decode(r, &in); err != nil {
		return err
	}
	d, err := s.svc.DraftAdvisory(r.Context(), actorFrom(r.Context()), id, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/advisories/"+strconv.FormatInt(d.RecordID, 10))
	return writeJSON(w, http.StatusCreated, d)
}

func (s *Server) getAdvisory(w http.ResponseWriter, r *http.Request) error {
	return reportOne(w, r, s.svc.Advisory)
}

func (s *Server) updateAdvisory(w http.ResponseWriter, r *http.Request) error {
	return reportAction(s, func(r *http.Request, id int64, in vmt.Advisory) (any, error) {
		return s.svc.UpdateAdvisory(r.Context(), actorFrom(r.Context()), id, in)
	})(w, r)
}

func (s *Server) embargoAdvisory(w http.ResponseWriter, r *http.Request) error {
	return reportAction(s, func(r *http.Request, id int64, _ empty) (any, error) {
		return s.svc.EmbargoAdvisory(r.Context(), actorFrom(r.Context()), id)
	})(w, r)
}

func (s *Server) publishAdvisory(w http.ResponseWriter, r *http.Request) error {
	return reportAction(s, func(r *http.Request, id int64, _ empty) (any, error) {
		return s.svc.PublishAdvisory(r.Context(), actorFrom(r.Context()), id)
	})(w, r)
}

// ErrataInput is the body of an erratum: the corrected document and what
// the correction is.
type ErrataInput struct {
	Advisory vmt.Advisory `json:"advisory"`
	Change   string       `json:"change"`
}

func (s *Server) amendAdvisory(w http.ResponseWriter, r *http.Request) error {
	return reportAction(s, func(r *http.Request, id int64, in ErrataInput) (any, error) {
		return s.svc.AmendAdvisory(r.Context(), actorFrom(r.Context()), id, in.Advisory, in.Change)
	})(w, r)
}

// WithdrawInput is the body of a withdrawal.
type WithdrawInput struct {
	Reason string `json:"reason"`
}

func (s *Server) withdrawAdvisory(w http.ResponseWriter, r *http.Request) error {
	return reportAction(s, func(r *http.Request, id int64, in WithdrawInput) (any, error) {
		return s.svc.WithdrawAdvisory(r.Context(), actorFrom(r.Context()), id, in.Reason)
	})(w, r)
}

// exportAdvisoryAPI answers ?format=osv|cve|csaf (and cve=CVE-… for a
// document with several) with the document, as it is when public, as a
// preview when embargoed and the actor may see its report.
func (s *Server) exportAdvisoryAPI(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	format := q.Get("format")
	if _, ok := exportFormats[format]; !ok {
		return vmt.Invalid("format", "%q is not osv, cve, csaf, ossa or kcsa", format)
	}
	d, embargoed, err := s.svc.AdvisoryForExport(r.Context(), actorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	pub, err := s.svc.Publisher(r.Context(), d.ProjectID)
	if err != nil {
		return err
	}
	b, err := exportAdvisory(d, format, q.Get("cve"), pub, s.svc.Deps().Publication.BaseURL, embargoed)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", exportFormats[format])
	_, err = w.Write(b)
	return err
}

func (s *Server) getPublicationSettings(w http.ResponseWriter, r *http.Request) error {
	p, err := s.svc.PublicationSettingsOf(r.Context(), actorFrom(r.Context()), r.PathValue("name"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (s *Server) setPublicationSettings(w http.ResponseWriter, r *http.Request) error {
	var in vmt.PublicationSettings
	if err := decode(r, &in); err != nil {
		return err
	}
	p, err := s.svc.SetPublicationSettings(r.Context(), actorFrom(r.Context()), r.PathValue("name"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}
