package http

import (
	"net/http"

	"github.com/vmtproject/vmt"
)

// importAdvisories stores a project's earlier published advisories
// (POST /api/v1/projects/{name}/advisories/import): its VMT and
// administrators may. The body is one vmt.ImportRequest of at most
// MaxImportBodyBytes and vmt.MaxImportDocuments advisories; the CLI sends
// a longer history in several. The answer is the report of every document,
// 200 whatever became of each (a refused one says why in its result), so
// that one bad file does not hide what became of the others.
func (s *Server) importAdvisories(w http.ResponseWriter, r *http.Request) error {
	var in vmt.ImportRequest
	if err := decodeLimit(r, &in, MaxImportBodyBytes); err != nil {
		return err
	}
	rep, err := s.svc.ImportAdvisories(r.Context(), actorFrom(r.Context()), r.PathValue("name"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rep)
}

// MaxImportBodyBytes is the most one import request may send: more than
// MaxBodyBytes, since a request holds a project's whole history.
const MaxImportBodyBytes = vmt.MaxImportBytes
