package http_test

import (
	"strings"
	"testing"
)

// TestStaticNoListing checks through the running server that no directory
// under /static/ is listed, whoever asks (anonymous, a signed-in browser),
// while the files the pages load are served.
func TestStaticNoListing(t *testing.T) {
	e := newEnv(t, "sqlite")
	_, signedIn := e.signedIn("ada@example.org", "reporter")
	for _, b := range []*browser{e.browser(), signedIn} {
		for _, path := range []string{"/static/", "/static/css/", "/static/./", "/static", "/static/js/x/"} {
			p := b.get(path) // a listing links its files relatively
			if p.status != 404 || strings.Contains(p.body, `href="style.css"`) || strings.Contains(p.body, `href="app.js"`) {
				t.Errorf("GET %s: %d at %s, want 404 with no listing; %.300s", path, p.status, p.url, p.body)
			}
		}
		for _, path := range []string{"/static/style.css", "/static/app.js"} {
			if p := b.get(path); p.status != 200 {
				t.Errorf("GET %s: %d, want 200", path, p.status)
			}
		}
	}
}
