package http_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	vmthttp "github.com/vmtproject/vmt/http"
)

// TestSearchReports searches through GET /api/v1/reports?q=: a private
// report is found by its reporter and the project's VMT, and neither found
// nor counted for another reporter; a bad query is refused on field q.
func TestSearchReports(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		ctx := context.Background()
		rep, repTok := e.user("rep@example.org", vmt.RoleReporter)
		_, otherTok := e.user("other@example.org", vmt.RoleReporter)
		co, coTok := e.user("co@example.org", vmt.RoleVMT)
		if err := e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: co.User.ID, Role: vmt.MemberVMT}); err != nil {
			t.Fatal(err)
		}
		r, err := e.svc.CreateReport(ctx, rep, vmt.ReportInput{Title: "Quokka heap overflow",
			Description: "The agent trusts the length.", Components: []string{"kata-agent"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			who, token, q string
			want          []int64
		}{
			{"reporter", repTok, "quokka", []int64{r.ID}},
			{"reporter, prefix", repTok, "heap overfl", []int64{r.ID}},
			{"vmt member", coTok, "kata-agent", []int64{r.ID}},
			{"other reporter", otherTok, "quokka", []int64{}},
			{"other reporter, every word", otherTok, "quokka heap overflow agent", []int64{}},
			{"vmt member, no match", coTok, "wombat", []int64{}},
			{"vmt member, operators only", coTok, `" * NEAR( OR -`, []int64{}},
		} {
			status, body := e.do("GET", "/api/v1/reports?q="+url.QueryEscape(tc.q), tc.token, "")
			if status != 200 {
				t.Fatalf("%s searching %q: status %d: %.300s", tc.who, tc.q, status, body)
			}
			var l struct {
				Items []struct{ ID int64 } `json:"items"`
				Total int                  `json:"total"`
			}
			if err := json.Unmarshal([]byte(body), &l); err != nil {
				t.Fatal(err)
			}
			got := []int64{}
			for _, it := range l.Items {
				got = append(got, it.ID)
			}
			if !equalIDs(got, tc.want) || l.Total != len(tc.want) {
				t.Errorf("%s searching %q: ids %v total %d, want %v total %d", tc.who, tc.q, got, l.Total, tc.want, len(tc.want))
			}
		}
		for _, tc := range []struct{ name, q string }{
			{"too long", strings.Repeat("q", vmt.MaxQueryLength+1)},
			{"newline", "quokka\nheap"},
			{"NUL", "quokka\x00"},
		} {
			status, body := e.do("GET", "/api/v1/reports?q="+url.QueryEscape(tc.q), coTok, "")
			var eb struct {
				Error struct{ Code, Field, Message string } `json:"error"`
			}
			_ = json.Unmarshal([]byte(body), &eb)
			if status != 400 || eb.Error.Code != "invalid" || eb.Error.Field != "q" || eb.Error.Message == "" {
				t.Errorf("query %s: status %d error %+v, want 400 invalid on q with a message", tc.name, status, eb.Error)
			}
		}
	})
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestReportQuerySearch checks that the client sends the query as q, even
// one that is the digit 0, which the other filters treat as unset.
func TestReportQuerySearch(t *testing.T) {
	for _, q := range []string{"0", "heap overflow", `"; DROP`} {
		if got := (vmthttp.ReportQuery{Query: q}).Values().Get("q"); got != q {
			t.Errorf("Values()[q] = %q, want %q", got, q)
		}
	}
	if v := (vmthttp.ReportQuery{}).Values(); v.Has("q") {
		t.Errorf("an empty query sends q: %v", v)
	}
}

// TestAPISearchBound checks that a search matching more than
// vmt.MaxSearchMatches reports says so: the total is the bound, "more" is
// set, and a plain list still counts everything.
func TestAPISearchBound(t *testing.T) {
	e := newEnv(t, "sqlite")
	ctx := context.Background()
	for i := range vmt.MaxSearchMatches + 2 {
		if _, err := e.svc.CreateReport(ctx, e.admin, vmt.ReportInput{Title: "Balloon leak " + strconv.Itoa(i), Description: "Steps."}); err != nil {
			t.Fatal(err)
		}
	}
	var l struct {
		Items []struct{ ID int64 } `json:"items"`
		Total int                  `json:"total"`
		More  bool                 `json:"more"`
	}
	for _, tc := range []struct {
		q     string
		total int
		more  bool
	}{
		{"?q=balloon", vmt.MaxSearchMatches, true},
		{"?q=balloon+leak+7", 1, false},
		{"", vmt.MaxSearchMatches + 2, false},
	} {
		code, body := e.do("GET", "/api/v1/reports"+tc.q, e.token, "")
		if code != 200 {
			t.Fatalf("%s: %d %s", tc.q, code, body)
		}
		l.More = false
		if err := json.Unmarshal([]byte(body), &l); err != nil {
			t.Fatal(err)
		}
		if l.Total != tc.total || l.More != tc.more {
			t.Errorf("list%s: total %d more %v, want %d %v", tc.q, l.Total, l.More, tc.total, tc.more)
		}
	}
	// The dashboard says it too.
	a, b := e.signedIn("v@example.org", vmt.RoleVMT)
	if err := e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: a.ID(), Role: vmt.MemberVMT}); err != nil {
		t.Fatal(err)
	}
	p := b.get("/reports?q=balloon")
	if got := strings.TrimSpace(p.doc.Find("#results").Text()); !strings.HasPrefix(got, "More than 1000 reports") {
		t.Errorf("dashboard heading %q, want it to say more than 1000", got)
	}
	if got := p.doc.Find(".report[data-id]").Length(); got == 0 {
		t.Error("the dashboard lists no report of a broad search")
	}
}
