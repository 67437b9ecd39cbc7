package cveservices_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/cve5"
	"github.com/vmtproject/vmt/cveservices"
	"github.com/vmtproject/vmt/cveservices/cvetest"
	"github.com/vmtproject/vmt/schematest"
)

func settings(m *cvetest.Server) *vmt.CNASettings {
	return &vmt.CNASettings{Enabled: true, ShortName: m.Org, OrgID: "0c5c5b1e-6c0e-4d5f-9a5e-5f8e2f6a1b2c", User: m.User,
		APIKeyRef: "env:CVE_API_KEY", Endpoint: m.Endpoint()}
}

func client(env map[string]string) *cveservices.Client {
	return &cveservices.Client{AllowPrivate: true, Getenv: func(k string) string { return env[k] }}
}

func code(t *testing.T, what string, err error, want string, words ...string) {
	t.Helper()
	if vmt.ErrorCode(err) != want {
		t.Errorf("%s: %v (code %q), want %q", what, err, vmt.ErrorCode(err), want)
	}
	for _, w := range words {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("%s: %v, want it to say %q", what, err, w)
		}
	}
}

// TestReserve: one id of the year for the CNA, with the query and headers
// the API asks for; the service's refusals come back with its message,
// never with the key.
func TestReserve(t *testing.T) {
	ctx := context.Background()
	m := cvetest.Start(t, 2026)
	s := settings(m)
	c := client(map[string]string{"CVE_API_KEY": m.Key})
	id, err := c.Reserve(ctx, s, 2026)
	if err != nil || id != "CVE-2026-1000" {
		t.Fatalf("Reserve: %q, %v", id, err)
	}
	if calls := m.Calls(); !slices.Equal(calls, []string{"POST /api/cve-id?amount=1&cve_year=2026&short_name=kata"}) {
		t.Errorf("requests: %q", calls)
	}
	if m.State(id) != cveservices.StateReserved {
		t.Errorf("state at the service: %q", m.State(id))
	}
	_, err = c.Reserve(ctx, s, 2031)
	code(t, "a year the service does not reserve for", err, vmt.EINVALID, "HTTP 403", "CANNOT_RESERVE_FOR_YEAR", "year 2031")

	wrong := client(map[string]string{"CVE_API_KEY": "not-the-key"})
	_, err = wrong.Reserve(ctx, s, 2026)
	code(t, "a wrong key", err, vmt.EINVALID, "HTTP 401", "UNAUTHORIZED")
	if strings.Contains(err.Error(), "not-the-key") {
		t.Errorf("the error shows the key: %v", err)
	}
	other := *s
	other.ShortName = "someone-else"
	_, err = c.Reserve(ctx, &other, 2026)
	code(t, "another CNA's short name", err, vmt.EINVALID, "UNAUTHORIZED")

	_, err = client(nil).Reserve(ctx, s, 2026)
	code(t, "an empty key variable", err, vmt.EINVALID, "env:CVE_API_KEY holds no API key")
	if f := vmt.ErrorField(err); f != "api_key_ref" {
		t.Errorf("empty key: field %q", f)
	}
	keyFile := filepath.Join(t.TempDir(), "key")
	os.WriteFile(keyFile, []byte(m.Key+"\n"), 0o600)
	fs := *s
	fs.APIKeyRef = "file:" + keyFile
	if id, err := client(nil).Reserve(ctx, &fs, 2026); err != nil || id != "CVE-2026-1001" {
		t.Errorf("Reserve with the key in a file: %q, %v", id, err)
	}
	fs.APIKeyRef = "file:" + keyFile + ".missing"
	_, err = client(nil).Reserve(ctx, &fs, 2026)
	code(t, "a missing key file", err, vmt.EINVALID, "the key file cannot be read")

	down := *s
	down.Endpoint = "http://127.0.0.1:1/api"
	_, err = c.Reserve(ctx, &down, 2026)
	code(t, "the service down", err, vmt.ECONFLICT, "CVE Services did not answer")
}

// TestPublish: a reserved id gets its record (POST), a published one has
// it replaced (PUT); the container sent is cve5's, valid against the CNA
// container schema at the service; refusals carry the service's message.
func TestPublish(t *testing.T) {
	ctx := context.Background()
	m := cvetest.Start(t, 2026)
	s := settings(m)
	c := client(map[string]string{"CVE_API_KEY": m.Key})
	id, err := c.Reserve(ctx, s, 2026)
	if err != nil {
		t.Fatal(err)
	}
	a := schematest.Advisory()
	a.CVEs = []string{id}
	updated, err := c.Publish(ctx, s, id, a)
	if err != nil || updated {
		t.Fatalf("first publication: updated=%v, %v", updated, err)
	}
	if m.State(id) != cveservices.StatePublished {
		t.Errorf("state after publication: %q", m.State(id))
	}
	a.Description += "\n\nUpdated with the affected stable releases."
	updated, err = c.Publish(ctx, s, id, a)
	if err != nil || !updated {
		t.Fatalf("second publication: updated=%v, %v", updated, err)
	}
	want := []string{"POST /api/cve-id?amount=1&cve_year=2026&short_name=kata", "GET /api/cve-id/" + id, "POST /api/cve/" + id + "/cna",
		"GET /api/cve-id/" + id, "PUT /api/cve/" + id + "/cna"}
	if calls := m.Calls(); !slices.Equal(calls, want) {
		t.Errorf("requests:\n got %q\nwant %q", calls, want)
	}
	var stored cve5.CNA
	if err := json.Unmarshal(m.Container(id), &stored); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stored.Descriptions[0].Value, "affected stable releases") || stored.Title != a.Title {
		t.Errorf("stored container: %+v", stored)
	}

	m.ReserveFor("someone-else", "CVE-2026-4444")
	a.CVEs = []string{"CVE-2026-4444"}
	_, err = c.Publish(ctx, s, "CVE-2026-4444", a)
	code(t, "another CNA's id", err, vmt.EINVALID, "HTTP 403", "CVEID_ORG_DOES_NOT_MATCH")
	a.CVEs = []string{"CVE-2026-5555"}
	_, err = c.Publish(ctx, s, "CVE-2026-5555", a)
	code(t, "an id never reserved", err, vmt.EINVALID, "HTTP 404", "CVE_ID_NOT_FOUND: CVE-2026-5555 not found")

	draft := schematest.Advisory()
	draft.State = vmt.AdvisoryDraft
	n := len(m.Calls())
	_, err = c.Publish(ctx, s, draft.CVEs[0], draft)
	if err == nil || len(m.Calls()) != n {
		t.Errorf("a draft advisory: %v, %d calls made", err, len(m.Calls())-n)
	}
}

// TestContainerGolden: the container sent for the shared fixture, valid
// against the CNA container schema.
func TestContainerGolden(t *testing.T) {
	a := schematest.Advisory()
	cna, err := cveservices.Container(&vmt.CNASettings{ShortName: "kata", OrgID: "0c5c5b1e-6c0e-4d5f-9a5e-5f8e2f6a1b2c"}, a.CVEs[0], a)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(map[string]any{"cnaContainer": cna}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	inner, _ := json.Marshal(cna)
	schematest.Validate(t, schematest.CVE5CNA, "cnaContainer", inner)
	schematest.Golden(t, "cna-request.golden", append(b, '\n'))
}

// TestMockFollowsTheAPI: the local service refuses as CVE Services does,
// so that the client's tests mean something: a missing header, a
// container that fails the schema, a second create, an update of a
// record that does not exist.
func TestMockFollowsTheAPI(t *testing.T) {
	m := cvetest.Start(t, 2026)
	do := func(method, path, key, body string) (int, cveservices.ErrorBody) {
		t.Helper()
		req, _ := http.NewRequest(method, m.Endpoint()+path, strings.NewReader(body))
		req.Header.Set("CVE-API-ORG", m.Org)
		req.Header.Set("CVE-API-USER", m.User)
		if key != "" {
			req.Header.Set("CVE-API-KEY", key)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var eb cveservices.ErrorBody
		json.NewDecoder(resp.Body).Decode(&eb)
		return resp.StatusCode, eb
	}
	check := func(what string, status int, eb cveservices.ErrorBody, wantStatus int, wantName string) {
		t.Helper()
		if status != wantStatus || eb.Error != wantName || eb.Message == "" {
			t.Errorf("%s: %d %+v, want %d %s", what, status, eb, wantStatus, wantName)
		}
	}
	st, eb := do("POST", "/cve-id?amount=1&cve_year=2026&short_name=kata", "", "")
	check("no key", st, eb, 400, "BAD_REQUEST")
	if eb.Message != "CVE-API-KEY header field required." {
		t.Errorf("no key: message %q", eb.Message)
	}
	st, eb = do("POST", "/cve-id?cve_year=2026&short_name=kata", m.Key, "")
	check("no amount", st, eb, 400, "NO_AMOUNT")
	st, eb = do("POST", "/cve-id?amount=2&cve_year=2026&short_name=kata", m.Key, "")
	check("two without a batch type", st, eb, 400, "NO_BATCH_TYPE")
	st, _ = do("POST", "/cve-id?amount=1&cve_year=2026&short_name=kata", m.Key, "")
	if st != 200 {
		t.Fatalf("reserve: %d", st)
	}
	id := "CVE-2026-1000"
	st, eb = do("PUT", "/cve/"+id+"/cna", m.Key, `{"cnaContainer":{}}`)
	check("update before create", st, eb, 403, "CVE_RECORD_DNE")
	st, eb = do("POST", "/cve/"+id+"/cna", m.Key, `{"cnaContainer":{"descriptions":[{"lang":"en","value":"x"}]}}`)
	check("a container without affected and references", st, eb, 400, "INVALID_JSON_SCHEMA")
	a := schematest.Advisory()
	a.CVEs = []string{id}
	cna, err := cveservices.Container(settings(m), id, a)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{"cnaContainer": cna})
	if st, eb = do("POST", "/cve/"+id+"/cna", m.Key, string(b)); st != 200 {
		t.Fatalf("create: %d %+v", st, eb)
	}
	st, eb = do("POST", "/cve/"+id+"/cna", m.Key, string(b))
	check("a second create", st, eb, 403, "CVE_RECORD_EXISTS")
}

// The zero Client dials only public addresses: a local CVE Services is
// refused before any request reaches it, as an error on the endpoint
// that never carries the key; AllowPrivate reaches it.
func TestPrivateEndpointRefused(t *testing.T) {
	ctx := context.Background()
	m := cvetest.Start(t, 2026)
	s := settings(m)
	env := map[string]string{"CVE_API_KEY": m.Key}
	guarded := &cveservices.Client{Getenv: func(k string) string { return env[k] }}
	_, err := guarded.Reserve(ctx, s, 2026)
	code(t, "a loopback endpoint", err, vmt.EINVALID, "refused", "public address")
	if vmt.ErrorField(err) != "endpoint" {
		t.Errorf("field %q, want endpoint", vmt.ErrorField(err))
	}
	if err != nil && strings.Contains(err.Error(), m.Key) {
		t.Errorf("the error carries the key: %v", err)
	}
	if calls := m.Calls(); len(calls) != 0 {
		t.Fatalf("the service was called: %q", calls)
	}
	if _, err := client(env).Reserve(ctx, s, 2026); err != nil {
		t.Fatalf("with AllowPrivate: %v", err)
	}
}
