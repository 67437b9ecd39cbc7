package http_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// invisibles are the characters a reader cannot see, one of each kind:
// direction overrides and isolates, zero-width characters, the BOM, a
// soft hyphen, a joiner splitting an ASCII word, a tag character.
var invisibles = map[string]string{
	"RLO U+202E": "\u202e", "LRI U+2066": "\u2066", "RLM U+200F": "\u200f", "ZWSP U+200B": "\u200b",
	"WJ U+2060": "\u2060", "BOM U+FEFF": "\ufeff", "SHY U+00AD": "\u00ad", "ZWJ in ASCII U+200D": "\u200d",
	"TAG U+E0041": "\U000E0041", "Hangul filler U+3164": "\u3164", "LS U+2028": "\u2028",
}

// TestInvisibleCharacters is the text rule over every kind of text field,
// through the API and the pages, on both engines: a one-line name or a
// short plain text refuses every invisible character, naming the field;
// a Markdown body keeps it as written (the API answers it raw) and every
// page shows it as a visible <U+XXXX> escape, never raw. Emoji joined by
// a ZWJ are text, accepted and shown as they are.
func TestInvisibleCharacters(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		status, body := e.do("POST", "/api/v1/reports", e.token, `{"project":"kata-containers","title":"Base","description":"Steps."}`)
		if status != 201 {
			t.Fatalf("create: %d %s", status, body)
		}
		var rep struct{ ID int64 }
		if err := json.Unmarshal([]byte(body), &rep); err != nil {
			t.Fatal(err)
		}
		rid := itoa(rep.ID)
		q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
		names := []struct{ field, method, path, body string }{
			{"title", "POST", "/api/v1/reports", `{"project":"kata-containers","title":%s,"description":"d"}`},
			{"title", "PATCH", "/api/v1/reports/" + rid, `{"title":%s}`},
			{"credit", "PATCH", "/api/v1/reports/" + rid, `{"credit":%s}`},
			{"affected_versions", "PATCH", "/api/v1/reports/" + rid, `{"affected_versions":%s}`},
			{"reporter_terms", "PATCH", "/api/v1/reports/" + rid, `{"reporter_terms":%s}`},
			{"name", "POST", "/api/v1/users", `{"email":"n@example.org","role":"reporter","name":%s}`},
			{"name", "PATCH", "/api/v1/users/1", `{"name":%s}`},
			{"name", "POST", "/api/v1/users/1/tokens", `{"name":%s}`},
			{"organisation", "POST", "/api/v1/stakeholders", `{"organisation":%s,"contacts":["a@distro.example"]}`},
		}
		for cname, c := range invisibles {
			for _, n := range names {
				t.Run("refused/"+n.method+" "+n.path+" "+n.field+"/"+cname, func(t *testing.T) {
					status, body := e.do(n.method, n.path, e.token, strings.Replace(n.body, "%s", q("Ada"+c+"Lovelace"), 1))
					if status != 400 || !strings.Contains(body, `"field":"`+n.field+`"`) || !strings.Contains(body, "character U+") {
						t.Errorf("%d %s; want 400 on %s naming the character", status, body, n.field)
					}
				})
			}
		}
		// Emoji sequences and script joiners are text, in names too.
		for _, ok := range []string{"Ada 👩\u200d💻", "می\u200cخواهم", "क्\u200dष", "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"} {
			if status, body := e.do("PATCH", "/api/v1/users/1", e.token, `{"name":`+q(ok)+`}`); status != 200 {
				t.Errorf("name %q: %d %s, want 200", ok, status, body)
			}
		}

		// Bodies: accepted, answered raw, shown escaped.
		e.withPassword(e.admin)
		b := e.browser()
		b.login("admin@example.org")
		for cname, c := range invisibles {
			t.Run("shown/"+cname, func(t *testing.T) {
				mark := func(f string) string { return "BEFORE-" + f + c + "AFTER-" + f }
				if status, body := e.do("PATCH", "/api/v1/reports/"+rid, e.token,
					`{"description":`+q(mark("description"))+`,"impact_description":`+q(mark("impact"))+`}`); status != 200 {
					t.Fatalf("patch: %d %s", status, body)
				}
				if status, body := e.do("POST", "/api/v1/reports/"+rid+"/comments", e.token, `{"body":`+q(mark("comment"))+`}`); status != 201 {
					t.Fatalf("comment: %d %s", status, body)
				}
				_, api := e.do("GET", "/api/v1/reports/"+rid, e.token, "")
				var got struct{ Description string }
				if err := json.Unmarshal([]byte(api), &got); err != nil || !strings.Contains(got.Description, mark("description")) {
					t.Errorf("the API does not answer the description as written: %.300s", api)
				}
				p := b.get("/reports/" + rid)
				if p.status != 200 {
					t.Fatalf("page: %d", p.status)
				}
				// Only the edit boxes may hold it as written.
				outside := p.body
				for {
					i := strings.Index(outside, "<textarea")
					j := strings.Index(outside, "</textarea>")
					if i < 0 || j < i {
						break
					}
					outside = outside[:i] + outside[j+len("</textarea>"):]
				}
				if strings.Contains(outside, c) {
					t.Errorf("the page shows %s raw outside an edit box", cname)
				}
				esc := fmt.Sprintf("&lt;U+%04X&gt;", []rune(c)[0])
				for _, f := range []string{"description", "impact", "comment"} {
					want := "BEFORE-" + f + `<span class="invisible-char"`
					if !strings.Contains(p.body, want) || p.doc.Find(".invisible-char").Length() < 3 || !strings.Contains(p.body, esc+"</span>AFTER-"+f) {
						t.Errorf("%s: the page does not show %s as a visible escape %s", f, cname, esc)
					}
				}
			})
		}
		// A joiner between emoji is left as it is in a body too.
		emoji := "Works for 👩\u200d💻 users"
		if status, body := e.do("POST", "/api/v1/reports/"+rid+"/comments", e.token, `{"body":`+q(emoji)+`}`); status != 201 {
			t.Fatalf("comment: %d %s", status, body)
		}
		if p := b.get("/reports/" + rid); !strings.Contains(p.body, emoji) {
			t.Errorf("the emoji sequence is not shown as written")
		}
	})
}

// TestInvisibleOnPublicPages checks the public pages, written apart from
// the signed-in ones: a published advisory whose description holds a
// direction override shows it as a visible escape, on its page and in its
// KCSA text, never raw.
func TestInvisibleOnPublicPages(t *testing.T) {
	m := newMatrix(t, "sqlite")
	doc := pubDoc("bidi")
	doc.Description = "Run access\u202e;level=admin before the check."
	d := publishDoc(t, m, "kata-containers", doc, false)
	resp, body := m.get("/advisories/"+d.ID.String(), "")
	if resp.StatusCode != 200 {
		t.Fatalf("page: %d", resp.StatusCode)
	}
	// html/template writes the '+' of the text's escape as &#43;.
	if strings.Contains(body, "\u202e") || !strings.Contains(body, "&lt;U&#43;202E&gt;") && !strings.Contains(body, "&lt;U+202E&gt;") {
		t.Errorf("the public page does not show U+202E as an escape:\n%.2000s", body)
	}
}
