package http

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"testing"

	"github.com/vmtproject/vmt"
)

// TestAuditPhrasesCoverEveryAction reads every action the domain names
// (../audit_actions.go) and wants words for each on the audit page: a new
// action must say what it is, not show its code.
func TestAuditPhrasesCoverEveryAction(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "../audit_actions.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	ast.Inspect(f, func(node ast.Node) bool {
		lit, ok := node.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		action, err := strconv.Unquote(lit.Value)
		if err != nil {
			t.Fatal(err)
		}
		n++
		if _, ok := auditPhrases[action]; !ok {
			t.Errorf("action %q has no words in auditPhrases (ui_admin_audit_words.go)", action)
		}
		return true
	})
	if n < 50 {
		t.Fatalf("read only %d actions from audit_actions.go; the reader is broken", n)
	}
	if len(auditPhrases) != n {
		t.Errorf("%d phrases for %d actions: a phrase for an action that does not exist", len(auditPhrases), n)
	}
}

// TestAuditChanges: the fields of an event's snapshots in words, each
// once, an unchanged field left out, a list joined, an object by its
// fields, a non-object whole.
func TestAuditChanges(t *testing.T) {
	got := auditChanges([]byte(`{"status":"new","class":"","same":1}`),
		[]byte(`{"status":"confirmed","class":"A","same":1,"cves":["CVE-1","CVE-2"],"terms":{"days":90,"public":false}}`))
	want := []auditChange{{"class", "", "A"}, {"cves", "", "CVE-1, CVE-2"}, {"status", "new", "confirmed"}, {"terms", "", "days: 90; public: no"}}
	if len(got) != len(want) {
		t.Fatalf("changes %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("change %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if got := auditChanges(nil, []byte(`"x"`)); len(got) != 1 || got[0] != (auditChange{"value", "", "x"}) {
		t.Errorf("a string snapshot: %+v", got)
	}
	if got := auditChanges([]byte(`{"a":1}`), nil); len(got) != 1 || got[0] != (auditChange{"a", "1", ""}) {
		t.Errorf("a removal: %+v", got)
	}
}

// TestOutboxKindsInWords: every kind the worker sends reads in words on
// the outbox page.
func TestOutboxKindsInWords(t *testing.T) {
	kinds := append(vmt.MailKinds(), vmt.KindWebhook, vmt.KindPush, vmt.KindCVEPublish, vmt.KindForge)
	for _, k := range kinds {
		if outboxKind(k) == k {
			t.Errorf("outbox kind %q has no words in outboxKinds", k)
		}
	}
}
