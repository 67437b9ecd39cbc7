package http_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/jobs"
	"github.com/vmtproject/vmt/render"
)

// Disclosure settings over the API: only the project's VMT (and
// administrators) read and set them, a bad policy is a 400 naming it; the
// notice and outbox routes of a private report are 404 to outsiders.
func TestDisclosureSettingsAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		set, err := render.NewSet(nil)
		noErr(t, err)
		e.setDeps(func(d *app.Deps) {
			d.Disclosure = vmt.DisclosureHooks{Keys: jobs.CheckKey, Planner: jobs.Plan, Notice: jobs.Site{BaseURL: "https://vmt.example.org"}.Notice(set)}
		})
		ctx := context.Background()
		coord, coordTok := e.user("coord@example.org", vmt.RoleVMT)
		_, vmtXTok := e.user("vmtx@example.org", vmt.RoleVMT)
		_, repTok := e.user("rep@example.org", vmt.RoleReporter)
		noErr(t, e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}))
		path := "/api/v1/projects/kata-containers/disclosure"
		good := `{"policy":{"window":"5-10","hour":15,"avoid":[]},"embargo_limit_days":14,"max_embargo_days":90,"lists":[]}`
		for _, tc := range []struct {
			method, token, body string
			want                int
			has                 string
		}{
			{"GET", "", "", 401, ""},
			{"GET", repTok, "", 403, ""},
			{"GET", vmtXTok, "", 403, ""},
			{"GET", coordTok, "", 200, `"embargo_limit_days":14`},
			{"PUT", vmtXTok, good, 403, ""},
			{"PUT", coordTok, `{"policy":{"window":"5-10","avoid":[]},"embargo_limit_days":14,"max_embargo_days":90}`, 400, `"field":"policy"`},
			{"PUT", coordTok, `{"embargo_limit_days":14,"max_embargo_days":120}`, 400, `"field":"max_embargo_days"`},
			{"PUT", coordTok, good, 200, `"window":"5-10"`},
			{"GET", e.token, "", 200, `"hour":15`},
		} {
			code, out := e.do(tc.method, path, tc.token, tc.body)
			if code != tc.want || !strings.Contains(out, tc.has) {
				t.Errorf("%s as %q: %d %s, want %d with %s", tc.method, tc.token, code, out, tc.want, tc.has)
			}
		}
		r, err := e.svc.CreateReport(ctx, coord, vmt.ReportInput{Project: "kata-containers", Title: "T", Description: "D"})
		noErr(t, err)
		id := "/api/v1/reports/" + itoa64(r.ID)
		if code, _ := e.do("GET", id+"/outbox", repTok, ""); code != 404 {
			t.Errorf("outbox by an outsider: %d, want 404", code)
		}
		if code, out := e.do("POST", id+"/notice", repTok, ""); code != 404 {
			t.Errorf("notice by an outsider: %d %s, want 404", code, out)
		}
		if code, out := e.do("POST", id+"/notice", coordTok, ""); code != 409 || !strings.Contains(out, "In Progress") {
			t.Errorf("notice of a new report: %d %s, want 409", code, out)
		}
		if code, out := e.do("GET", id+"/outbox", coordTok, ""); code != 200 || !strings.Contains(out, `"items":[]`) {
			t.Errorf("outbox of the coordinator: %d %s", code, out)
		}
	})
}

func itoa64(n int64) string {
	var b [20]byte
	i := len(b)
	for ; n > 0; n /= 10 {
		i--
		b[i] = byte('0' + n%10)
	}
	return string(b[i:])
}
