package http

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/vmtproject/vmt"
)

// Session keys of a refused upload: the message is shown next to the file
// field, and the branch chosen is selected again.
const (
	keyFixUploadError  = "fix_upload_error"
	keyFixUploadBranch = "fix_upload_branch"
)

// multipartSlack is what a multipart body carries besides the series (the
// boundaries, part headers and the branch field), so that a series of
// exactly vmt.MaxFixSeriesBytes, the API's limit, still fits.
const multipartSlack = 64 << 10

// reportFixUpload attaches a git format-patch series uploaded from the
// report's page for one supported branch. The service decides who may
// (AttachFix) and checks that the series applies; a refusal is shown next
// to the file field, with git's reason when it does not apply.
func (s *Server) reportFixUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return vmt.NotFound("report")
	}
	in, err := readFixUpload(w, r)
	if err == nil {
		var f *vmt.Fix
		if f, err = s.svc.AttachFix(r.Context(), actorFrom(r.Context()), id, in); err == nil {
			s.flash(r, fmt.Sprintf("Version %d of the fix for %s is attached (%d patch(es)); it waits for a core reviewer.", f.Version, f.Branch, len(f.Subjects)), false)
		}
	}
	switch vmt.ErrorCode(err) {
	case "":
	case vmt.EINVALID, vmt.ECONFLICT, vmt.EFORBIDDEN, vmt.ETOOLARGE:
		// The service answers ENOTFOUND to whoever may not see the report,
		// so the report is visible here: say why next to the field.
		m := s.ui.sessions.manager(r)
		m.Put(r.Context(), keyFixUploadError, "Not attached: "+vmt.ErrorMessage(err))
		m.Put(r.Context(), keyFixUploadBranch, in.Branch)
		return redirect(w, r, "/reports/"+strconv.FormatInt(id, 10)+"#fix-upload")
	default:
		return err
	}
	return redirect(w, r, "/reports/"+strconv.FormatInt(id, 10)+"#fixes")
}

// readFixUpload reads the branch and the series: a file part "series" of
// a multipart form, at most vmt.MaxFixSeriesBytes as through the API, or
// (from a client without file upload) a "series" text field.
func readFixUpload(w http.ResponseWriter, r *http.Request) (vmt.FixInput, error) {
	var in vmt.FixInput
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		if err := parseForm(w, r); err != nil {
			return in, err
		}
		in.Branch, in.Series = r.PostForm.Get("branch"), r.PostForm.Get("series")
		return in, nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, vmt.MaxFixSeriesBytes+multipartSlack)
	// Held in memory up to the limit: no temporary file for a private patch.
	err := r.ParseMultipartForm(vmt.MaxFixSeriesBytes + multipartSlack)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return in, &vmt.Error{Code: vmt.ETOOLARGE, Field: "series", Message: "the series is over 4 MiB"}
	case err != nil:
		return in, vmt.Invalid("series", "the form could not be read")
	}
	defer r.MultipartForm.RemoveAll()
	in.Branch = r.PostFormValue("branch")
	file, _, err := r.FormFile("series")
	if errors.Is(err, http.ErrMissingFile) {
		return in, vmt.Invalid("series", "choose a patch file (git format-patch output)")
	} else if err != nil {
		return in, vmt.Invalid("series", "the file could not be read")
	}
	defer file.Close()
	b, err := io.ReadAll(io.LimitReader(file, vmt.MaxFixSeriesBytes+1))
	if err != nil {
		return in, vmt.Invalid("series", "the file could not be read")
	}
	if len(b) > vmt.MaxFixSeriesBytes {
		return in, &vmt.Error{Code: vmt.ETOOLARGE, Field: "series", Message: "the series is over 4 MiB"}
	}
	if len(b) == 0 {
		return in, vmt.Invalid("series", "the file is empty")
	}
	in.Series = string(b)
	return in, nil
}
