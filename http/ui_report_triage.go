package http

import (
	"net/http"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/render"
)

func (s *Server) reportTransition(w http.ResponseWriter, r *http.Request) error {
	return s.reportAction(func(r *http.Request, a vmt.Actor, id int64) (string, error) {
		to := vmt.Status(r.PostForm.Get("to"))
		_, err := s.svc.Transition(r.Context(), a, id, vmt.TransitionInput{
			To: to, Reason: r.PostForm.Get("reason"), Hardening: r.PostForm.Get("hardening") != ""})
		return "The report is now " + to.Label() + ".", err
	})(w, r)
}

func (s *Server) reportClassify(w http.ResponseWriter, r *http.Request) error {
	return s.reportAction(func(r *http.Request, a vmt.Actor, id int64) (string, error) {
		c := r.PostForm.Get("class")
		_, err := s.svc.Classify(r.Context(), a, id, c)
		if c == "" {
			return "The class is cleared.", err
		}
		return "The report is in class " + c + ".", err
	})(w, r)
}

func (s *Server) reportAssign(w http.ResponseWriter, r *http.Request) error {
	return s.reportAction(func(r *http.Request, a vmt.Actor, id int64) (string, error) {
		uid, err := formID(r, "coordinator_id")
		if err != nil {
			return "", err
		}
		_, err = s.svc.Assign(r.Context(), a, id, uid)
		return "The coordinator is set.", err
	})(w, r)
}

func (s *Server) reportSubscribe(w http.ResponseWriter, r *http.Request) error {
	return s.reportAction(func(r *http.Request, a vmt.Actor, id int64) (string, error) {
		uid, err := formID(r, "user_id")
		if err != nil {
			return "", err
		}
		if uid == 0 {
			return "", vmt.Invalid("user_id", "choose whom to subscribe")
		}
		_, err = s.svc.Subscribe(r.Context(), a, id, uid)
		return "Subscribed: they can now see this report.", err
	})(w, r)
}

func (s *Server) reportUnsubscribe(w http.ResponseWriter, r *http.Request) error {
	return s.reportAction(func(r *http.Request, a vmt.Actor, id int64) (string, error) {
		uid, err := formID(r, "user_id")
		if err != nil {
			return "", err
		}
		return "The subscription is ended.", s.svc.Unsubscribe(r.Context(), a, id, uid)
	})(w, r)
}

// reportIncompleteMessage posts the incomplete-reception message as a
// comment. Only those who coordinate the report may: the message speaks
// for the VMT.
func (s *Server) reportIncompleteMessage(w http.ResponseWriter, r *http.Request) error {
	return s.reportAction(func(r *http.Request, a vmt.Actor, id int64) (string, error) {
		if _, err := s.svc.ReportAudit(r.Context(), a, id); vmt.ErrorCode(err) == vmt.EFORBIDDEN {
			return "", vmt.Errorf(vmt.EFORBIDDEN, "only the report's VMT may post this message")
		} else if err != nil {
			return "", err
		}
		body, err := s.incompleteMessage(r, a, id)
		if err != nil {
			return "", err
		}
		_, err = s.svc.AddComment(r.Context(), a, id, body)
		return "The incomplete-reception message is posted.", err
	})(w, r)
}

// incompleteMessage renders the process's reception-incomplete template
// for the report's project.
func (s *Server) incompleteMessage(r *http.Request, a vmt.Actor, id int64) (string, error) {
	v, err := s.svc.Report(r.Context(), a, id)
	if err != nil {
		return "", err
	}
	ps, err := s.svc.Projects(r.Context(), a)
	if err != nil {
		return "", err
	}
	project := ""
	for _, p := range ps {
		if p.ID == v.ProjectID {
			project = p.Name
		}
	}
	// The project's own message, when it has one.
	templates, err := s.svc.ReportTemplates(r.Context(), a, id)
	if err != nil {
		return "", err
	}
	set, err := render.Defaults().With(templates)
	if err != nil {
		return "", err
	}
	doc, err := set.Render(render.ReceptionIncomplete, render.IncompleteData{Project: project})
	return doc.Body, err
}
