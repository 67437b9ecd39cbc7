package http

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"
)

// TestStaticServesNoDirectory checks the class: under /static/, every
// directory, the root and a nested one, however the path is written, is
// 404 with no listing, and files are still served (from the shipped files
// and from a tree with a subdirectory, as the build may grow one). The
// whole server is checked in TestStaticNoListing.
func TestStaticServesNoDirectory(t *testing.T) {
	tree := fstest.MapFS{
		"style.css":     {Data: []byte("body{}")},
		"css/print.css": {Data: []byte("@media print{}")},
		"css/deep/x.js": {Data: []byte("1")},
	}
	for name, h := range map[string]http.Handler{"shipped": staticFiles(), "tree": staticHandler(tree)} {
		for path, want := range map[string]int{
			"/static/": 404, "/static/./": 404, "/static//": 404, "/static/css/": 404, "/static/css": 404,
			"/static/css/deep/": 404, "/static/css/./deep/": 404, "/static/%2e/": 404,
			"/static/style.css": 200,
		} {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
			if rec.Code != want {
				t.Errorf("%s: GET %s: %d, want %d; %.200s", name, path, rec.Code, want, rec.Body.String())
			}
		}
	}
	rec := httptest.NewRecorder()
	staticHandler(tree).ServeHTTP(rec, httptest.NewRequest("GET", "/static/css/print.css", nil))
	if rec.Code != 200 || rec.Body.String() != "@media print{}" {
		t.Errorf("a nested file: %d %q", rec.Code, rec.Body.String())
	}
}
