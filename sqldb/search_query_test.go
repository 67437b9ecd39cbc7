package sqldb

import "testing"

// TestParseQuery checks what each engine is asked for a user's query: only
// words, quoted for FTS5, and never an operator of either syntax.
func TestParseQuery(t *testing.T) {
	tests := []struct{ q, fts5, tsquery string }{
		{"heap overflow", `"heap" AND "overflow"*`, `heap & overflow:*`},
		// An id is matched whole: CVE-2025-1234 is not CVE-2025-12345.
		{"CVE-2025-1234", `"CVE 2025 1234"`, `CVE <-> 2025 <-> 1234`},
		{"leak KCSA-2026-001", `"leak" AND "KCSA 2026 001"`, `leak & KCSA <-> 2026 <-> 001`},
		{"GHSA-jfh8-c2jp-5v3q", `"GHSA jfh8 c2jp 5v3q"`, `GHSA <-> jfh8 <-> c2jp <-> 5v3q`},
		{"leak #123", `"leak" AND "123"`, `leak & 123`},
		// The start of a CVE id is still a prefix.
		{"CVE-2025-123", `"CVE 2025 123"*`, `CVE <-> 2025 <-> 123:*`},
		{"net/http parser.", `"net http" AND "parser"`, `net <-> http & parser`},
		{"go", `"go"`, `go`},
		{"über straße", `"über" AND "straße"*`, `über & straße:*`},
		{`"`, ``, ``},
		{`* - NEAR( OR`, `"NEAR" AND "OR"`, `NEAR & OR`},
		{`'; DROP TABLE reports; --`, `"DROP" AND "TABLE" AND "reports"`, `DROP & TABLE & reports`},
		{`a:* & !b | (c)`, `"a" AND "b" AND "c"`, `a & b & c`},
		{`title:daemon^2`, `"title daemon 2"`, `title <-> daemon <-> 2`},
		{"   ", ``, ``},
	}
	for _, tt := range tests {
		sq := parseQuery(tt.q)
		if len(sq.groups) == 0 {
			if tt.fts5 != "" {
				t.Errorf("parseQuery(%q) has no words, want %s", tt.q, tt.fts5)
			}
			continue
		}
		if got := sq.fts5(); got != tt.fts5 {
			t.Errorf("fts5(%q) = %s, want %s", tt.q, got, tt.fts5)
		}
		if got := sq.tsquery(); got != tt.tsquery {
			t.Errorf("tsquery(%q) = %s, want %s", tt.q, got, tt.tsquery)
		}
	}
}
