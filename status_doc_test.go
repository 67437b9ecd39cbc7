package vmt

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with the file at path, or rewrites the file under -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update . to create it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("%s is stale; run go test -run %s -update . and commit it.\n--- got ---\n%s", path, t.Name(), got)
	}
}

func TestWorkflowMarkdown(t *testing.T) {
	golden(t, filepath.Join("docs", "workflow.md"), WorkflowMarkdown())
}

// TestWorkflowMarkdownContent checks that the page says what the tables say,
// so that a golden file rewritten in haste still carries every row.
func TestWorkflowMarkdownContent(t *testing.T) {
	md := WorkflowMarkdown()
	for _, s := range Statuses {
		if !strings.Contains(md, "| `"+string(s.Status)+"` | "+s.Label+" | "+s.Meaning+" |") {
			t.Errorf("status %s is missing", s.Status)
		}
	}
	for _, c := range Taxonomy {
		if !strings.Contains(md, "| "+string(c.Class)+" | "+string(c.Outcome)+" | "+c.Description+" |") {
			t.Errorf("class %s is missing", c.Class)
		}
	}
	rows := 0
	for _, line := range strings.Split(md, "\n") {
		cells := strings.Split(line, " | ")
		if len(cells) != 5 || strings.HasPrefix(line, "| From |") {
			continue
		}
		rows++
		from, to := strings.TrimPrefix(cells[0], "| "), cells[1]
		var tr *Transition
		for i := range Transitions {
			if Transitions[i].From.Label() == from && Transitions[i].To.Label() == to {
				tr = &Transitions[i]
			}
		}
		if tr == nil {
			t.Errorf("row %q is not in the table", line)
			continue
		}
		if got, want := cells[2], strings.Join(guardNames(tr.Guards), "<br>"); got != want {
			t.Errorf("%s -> %s guards %q, want %q", from, to, got, want)
		}
		if got := cells[3] == "report becomes public"; got != tr.MakesPublic {
			t.Errorf("%s -> %s side effect %q, MakesPublic %v", from, to, cells[3], tr.MakesPublic)
		}
		if got := strings.TrimSuffix(cells[4], " |"); got != tr.Why {
			t.Errorf("%s -> %s why %q, want %q", from, to, got, tr.Why)
		}
	}
	if rows != len(Transitions) {
		t.Errorf("the page has %d transition rows, the table %d", rows, len(Transitions))
	}
}

func TestEscapeCell(t *testing.T) {
	if got, want := escapeCell("a|b\nc"), `a\|b c`; got != want {
		t.Errorf("escapeCell = %q, want %q", got, want)
	}
}
