package vmt

import "testing"

// The access kinds of the policy table.
var accessKinds = []struct {
	name string
	acc  Access
}{
	{"anonymous", Access{}},
	{"stranger", Access{Authenticated: true}},
	{"reporter", Access{Authenticated: true, Reporter: true}},
	{"subscriber", Access{Authenticated: true, Subscribed: true}},
	{"reviewer", Access{Authenticated: true, Reviewer: true}},
	{"subscribed reviewer", Access{Authenticated: true, Reviewer: true, Subscribed: true}},
	{"coordinator", Access{Authenticated: true, Coordinator: true}},
	{"admin", Access{Authenticated: true, Admin: true}},
}

// The outcomes of Require, written in the table below.
const (
	ok    = ""               // allowed
	hid   = ENOTFOUND        // the report does not exist for the actor
	unath = EUNAUTHENTICATED // visible, but sign in first
	forb  = EFORBIDDEN       // visible, not theirs to do
)

var allActions = []Action{
	ActionView, ActionComment, ActionEdit, ActionEditTerms, ActionCoordinate,
	ActionUnsubscribe, ActionReadAudit, ActionReadExtent, ActionAttachFix, ActionReviewFix,
}

// policyTable is who may do what, written out by hand. Columns follow
// allActions: view, comment, edit, edit_terms, coordinate, unsubscribe,
// read_audit, read_extent, attach_fix, review_fix.
var policyTable = map[Visibility]map[string][10]string{
	Private: {
		"anonymous":           {hid, hid, hid, hid, hid, hid, hid, hid, hid, hid},
		"stranger":            {hid, hid, hid, hid, hid, hid, hid, hid, hid, hid},
		"reporter":            {ok, ok, forb, ok, forb, forb, forb, ok, ok, forb},
		"subscriber":          {ok, ok, forb, forb, forb, ok, forb, forb, ok, forb},
		"reviewer":            {hid, hid, hid, hid, hid, hid, hid, hid, hid, hid},
		"subscribed reviewer": {ok, ok, forb, forb, forb, ok, forb, forb, ok, ok},
		"coordinator":         {ok, ok, ok, ok, ok, ok, ok, ok, ok, ok},
		"admin":               {ok, ok, ok, ok, ok, ok, ok, ok, ok, ok},
	},
	Public: {
		"anonymous":           {ok, unath, unath, unath, unath, unath, unath, unath, unath, unath},
		"stranger":            {ok, ok, forb, forb, forb, forb, forb, forb, forb, forb},
		"reporter":            {ok, ok, forb, ok, forb, forb, forb, ok, ok, forb},
		"subscriber":          {ok, ok, forb, forb, forb, ok, forb, forb, ok, forb},
		"reviewer":            {ok, ok, forb, forb, forb, forb, forb, forb, forb, ok},
		"subscribed reviewer": {ok, ok, forb, forb, forb, ok, forb, forb, ok, ok},
		"coordinator":         {ok, ok, ok, ok, ok, ok, ok, ok, ok, ok},
		"admin":               {ok, ok, ok, ok, ok, ok, ok, ok, ok, ok},
	},
}

func TestAccessCan(t *testing.T) {
	for vis, byKind := range policyTable {
		r := &Report{ID: 7, Visibility: vis}
		for _, k := range accessKinds {
			want, found := byKind[k.name]
			if !found {
				t.Fatalf("policyTable[%s] lacks %s", vis, k.name)
			}
			if got, wantView := k.acc.CanView(r), want[0] == ok; got != wantView {
				t.Errorf("%s on %s report: CanView = %v, want %v", k.name, vis, got, wantView)
			}
			for i, act := range allActions {
				if got := k.acc.Can(act, r); got != (want[i] == ok) {
					t.Errorf("%s on %s report: Can(%s) = %v, want %v", k.name, vis, act, got, want[i] == ok)
				}
				err := k.acc.Require(act, r)
				if want[i] == ok {
					if err != nil {
						t.Errorf("%s on %s report: Require(%s) = %v, want nil", k.name, vis, act, err)
					}
					continue
				}
				if got := ErrorCode(err); got != want[i] {
					t.Errorf("%s on %s report: Require(%s) = %v, want code %s", k.name, vis, act, err, want[i])
				}
			}
		}
	}
}

// TestHiddenReportReadsAsMissing checks that a hidden report's error says
// nothing a missing one would not.
func TestHiddenReportReadsAsMissing(t *testing.T) {
	r := &Report{ID: 7, Visibility: Private, Title: "secret title"}
	err := Access{Authenticated: true}.Require(ActionView, r)
	if got, want := err.Error(), NotFound("report").Error(); got != want {
		t.Errorf("hidden report error %q, want %q", got, want)
	}
}

func TestRefusalMessagesNameTheAction(t *testing.T) {
	r := &Report{Visibility: Public}
	if got, want := ErrorMessage(Access{}.Require(ActionComment, r)), "sign in to comment on this report"; got != want {
		t.Errorf("anonymous refusal %q, want %q", got, want)
	}
	if got, want := ErrorMessage(Access{Authenticated: true}.Require(ActionEdit, r)), "you may not edit this report"; got != want {
		t.Errorf("stranger refusal %q, want %q", got, want)
	}
}

func TestUnknownActionIsRefused(t *testing.T) {
	r := &Report{Visibility: Public}
	for _, k := range accessKinds {
		if k.acc.Can("delete", r) {
			t.Errorf("%s may do an unknown action", k.name)
		}
	}
	if got := ErrorCode(Access{Authenticated: true, Admin: true}.Require("delete", r)); got != EFORBIDDEN {
		t.Errorf("admin, unknown action: code %q, want forbidden", got)
	}
}

func TestActor(t *testing.T) {
	if Anonymous.ID() != 0 || Anonymous.IsAdmin() || Anonymous.Viewer() != (Viewer{}) {
		t.Errorf("Anonymous = %+v", Anonymous.Viewer())
	}
	admin := Actor{User: &User{ID: 3, Role: RoleAdmin}}
	if admin.ID() != 3 || !admin.IsAdmin() || admin.Viewer() != (Viewer{UserID: 3, Admin: true}) {
		t.Errorf("admin viewer = %+v", admin.Viewer())
	}
	vmt := Actor{User: &User{ID: 4, Role: RoleVMT}}
	if vmt.IsAdmin() || vmt.Viewer() != (Viewer{UserID: 4}) {
		t.Errorf("vmt viewer = %+v", vmt.Viewer())
	}
}
