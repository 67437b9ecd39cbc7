package http

import (
	"strings"
	"testing"
)

// TestMissingTemplateFailsAtStart checks that a page the handlers render
// but the build lacks stops the server from starting, instead of failing
// when someone first opens it.
func TestMissingTemplateFailsAtStart(t *testing.T) {
	if _, err := parseTemplates(); err != nil {
		t.Fatalf("the shipped templates: %v", err)
	}
	saved := pageNames
	t.Cleanup(func() { pageNames = saved })
	pageNames = append(append([]string{}, saved...), "no_such_page")
	_, err := parseTemplates()
	if err == nil || !strings.Contains(err.Error(), "no_such_page") {
		t.Fatalf("parseTemplates with a missing page: %v", err)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(error).Error(), "no_such_page") {
			t.Errorf("NewServer did not refuse to start: %v", r)
		}
	}()
	s := &Server{}
	s.uiRoutes()
}
