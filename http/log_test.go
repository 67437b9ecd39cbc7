package http_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	vmthttp "github.com/vmtproject/vmt/http"
)

// TestRequestLog checks that each request is logged with its actor and
// status, and that neither the token nor a private title reaches the log.
func TestRequestLog(t *testing.T) {
	e := newEnv(t, "sqlite")
	var buf bytes.Buffer
	srv := httptest.NewServer(vmthttp.NewServer(e.svc, slog.New(slog.NewTextHandler(&buf, nil))))
	defer srv.Close()
	e.srv = srv
	r, err := e.svc.CreateReport(context.Background(), e.admin, vmt.ReportInput{Title: "Secret escape via vsock", Description: "Steps."})
	if err != nil {
		t.Fatal(err)
	}
	e.do("GET", "/api/v1/reports/"+itoa(r.ID), e.token, "")
	e.do("POST", "/api/v1/reports", e.token, `{"title":"Another secret title","description":"x"}`)
	e.do("GET", "/api/v1/reports/"+itoa(r.ID), "", "")
	log := buf.String()
	for _, want := range []string{
		"path=/api/v1/reports/" + itoa(r.ID) + " status=200",
		"actor=" + itoa(e.admin.ID()),
		"status=404", "actor=0",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	for _, secret := range []string{e.token, "Secret escape", "Another secret title"} {
		if strings.Contains(log, secret) {
			t.Errorf("log shows %q:\n%s", secret, log)
		}
	}
}
