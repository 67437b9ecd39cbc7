package http

import (
	"net/http"

	"github.com/vmtproject/vmt"
)

func (s *Server) reportTransition(w http.ResponseWriter, r *http.Request) error {
	return s.reportAction(func(r *http.Request, a vmt.Actor, id int64) (string, error) {
		to := vmt.Status(r.PostForm.Get("to"))
		_, err := s.svc.Transition(r.Context(), a, id, vmt.TransitionInput{
			To: to, Reason: r.PostForm.Get("reason"), Hardening: r.PostForm.Get("hardening") != "", Class: r.PostForm.Get("class")})
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
		return "The incomplete-reception message is posted.", s.svc.PostIncompleteMessage(r.Context(), a, id)
	})(w, r)
}
