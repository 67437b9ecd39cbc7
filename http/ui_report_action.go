package http

import (
	"net/http"
	"strconv"

	"github.com/vmtproject/vmt"
)

// reportAction is a form posted on a report's page. fn does the change
// through the service and returns what to tell the user. The answer is a
// redirect back to the page, with the outcome or the refusal as a message;
// a report the user may not see is the 404 page, and a visitor not signed
// in gets the 401 page.
func (s *Server) reportAction(fn func(r *http.Request, a vmt.Actor, id int64) (string, error)) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return vmt.NotFound("report")
		}
		if err := parseForm(w, r); err != nil {
			return err
		}
		msg, err := fn(r, actorFrom(r.Context()), id)
		return s.actionDone(w, r, "/reports/"+strconv.FormatInt(id, 10), msg, err)
	}
}

// actionDone answers a form posted on a report's page: the outcome msg,
// or the refusal err, as the page's message and a redirect to back; any
// other error (ENOTFOUND among them) is the error page.
func (s *Server) actionDone(w http.ResponseWriter, r *http.Request, back, msg string, err error) error {
	switch vmt.ErrorCode(err) {
	case "":
		s.flash(r, msg, false)
	case vmt.EINVALID, vmt.ECONFLICT, vmt.EFORBIDDEN, vmt.ETOOLARGE:
		// Refused by the process or the policy: the page says why.
		// The report is visible to the user, or the service would
		// have answered ENOTFOUND.
		s.flash(r, "Not done: "+vmt.ErrorMessage(err), true)
	default:
		return err
	}
	return redirect(w, r, back)
}

func formID(r *http.Request, field string) (int64, error) {
	v := r.PostForm.Get(field)
	if v == "" || v == "0" { // "0": nobody (the "Not assigned" option)
		return 0, nil
	}
	n, ok := canonicalID(v)
	if !ok {
		return 0, vmt.Invalid(field, "%q is not a user id", v)
	}
	return n, nil
}
