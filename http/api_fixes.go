package http

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/vmtproject/vmt"
)

func (s *Server) fixes(w http.ResponseWriter, r *http.Request) error {
	return reportList(w, r, s.svc.Fixes)
}

// attachFix takes a fix as JSON ({"branch", "series" or "url"}), or a patch
// series as the body itself (application/mbox or text/x-patch, as git
// format-patch writes it) with the branch in the query: a series may be
// larger than a JSON body may.
func (s *Server) attachFix(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in vmt.FixInput
	if isPatchBody(r) {
		in.Branch = r.URL.Query().Get("branch")
		if in.Series, err = readSeries(r); err != nil {
			return err
		}
	} else if err := decode(r, &in); err != nil {
		return err
	}
	f, err := s.svc.AttachFix(r.Context(), actorFrom(r.Context()), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, f)
}

// fixPatch answers a fix's series as git format-patch wrote it
// (text/x-patch): lists carry only its size.
func (s *Server) fixPatch(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	fixID, err := pathID(r, "fix")
	if err != nil {
		return err
	}
	f, err := s.svc.FixPatch(r.Context(), actorFrom(r.Context()), id, fixID)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/x-patch; charset=utf-8")
	_, err = io.WriteString(w, f.Series)
	return err
}

func isPatchBody(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && (mt == "application/mbox" || mt == "text/x-patch")
}

// readSeries reads a series body of at most vmt.MaxFixSeriesBytes.
func readSeries(r *http.Request) (string, error) {
	b, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, vmt.MaxFixSeriesBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return "", &vmt.Error{Code: vmt.ETOOLARGE, Field: "series", Message: "the series is over 4 MiB"}
	case err != nil:
		return "", vmt.Invalid("series", "the body could not be read")
	}
	return string(b), nil
}

func (s *Server) reviewFix(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in vmt.ReviewInput
	if err := decode(r, &in); err != nil {
		return err
	}
	f, err := s.svc.ReviewFix(r.Context(), actorFrom(r.Context()), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, f)
}

func (s *Server) fixMatrix(w http.ResponseWriter, r *http.Request) error {
	return reportList(w, r, s.svc.FixMatrix)
}
