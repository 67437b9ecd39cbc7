// Package cvetest is a local CVE Services for tests: a server written to
// the published OpenAPI description of the CVE Program's API
// (CVEProject/cve-services api-docs/openapi.json, 2.3.x) and the error
// bodies of its controllers, with only what a CNA's tool calls.
package cvetest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vmtproject/vmt/schematest"
)

// Server is the mock: the three authentication headers, POST /api/cve-id
// with amount, cve_year and short_name, GET /api/cve-id/{id}, and POST and
// PUT /api/cve/{id}/cna with a {"cnaContainer": …} body checked against
// the CVE Record Format's CNA container schema.
type Server struct {
	t     testing.TB
	check func([]byte) error // the CNA container schema, compiled at Start
	srv   *httptest.Server
	Org   string // the CNA's short name (CVE-API-ORG)
	User  string // CVE-API-USER
	Key   string // CVE-API-KEY
	Year  int    // the one year IDR reserves for
	mu    sync.Mutex
	next  int
	ids   map[string]string          // CVE id → state
	owner map[string]string          // CVE id → owning CNA
	cna   map[string]json.RawMessage // CVE id → the container last published
	calls []string                   // "METHOD path?query", in order
}

// Start runs a mock for the CNA "kata" (user vmt@example.org, key
// s3cr3t-key) that reserves ids of year, from CVE-YEAR-1000 up.
func Start(t testing.TB, year int) *Server {
	m := &Server{t: t, check: schematest.Checker(t, schematest.CVE5CNA), Org: "kata", User: "vmt@example.org", Key: "s3cr3t-key", Year: year, next: 1000,
		ids: map[string]string{}, owner: map[string]string{}, cna: map[string]json.RawMessage{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/cve-id", m.auth(m.reserve))
	mux.HandleFunc("GET /api/cve-id/{id}", m.auth(m.getID))
	mux.HandleFunc("POST /api/cve/{id}/cna", m.auth(m.createRecord))
	mux.HandleFunc("PUT /api/cve/{id}/cna", m.auth(m.updateRecord))
	m.srv = httptest.NewServer(mux)
	t.Cleanup(m.srv.Close)
	return m
}

// Endpoint is the base URL a CNA configures, as https://cveawg.mitre.org/api.
func (m *Server) Endpoint() string { return m.srv.URL + "/api" }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// fail writes the services' error body: {"error": NAME, "message": TEXT}.
func fail(w http.ResponseWriter, status int, name, msg string) {
	writeJSON(w, status, map[string]string{"error": name, "message": msg})
}

// auth is the services' validateUser middleware: each header is required
// (400 BAD_REQUEST naming it), and a wrong one is 401 UNAUTHORIZED.
func (m *Server) auth(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		m.mu.Lock()
		m.calls = append(m.calls, r.Method+" "+r.URL.RequestURI())
		m.mu.Unlock()
		for _, hd := range []string{"CVE-API-ORG", "CVE-API-USER", "CVE-API-KEY"} {
			if r.Header.Get(hd) == "" {
				fail(w, 400, "BAD_REQUEST", hd+" header field required.")
				return
			}
		}
		if r.Header.Get("CVE-API-ORG") != m.Org || r.Header.Get("CVE-API-USER") != m.User || r.Header.Get("CVE-API-KEY") != m.Key {
			fail(w, 401, "UNAUTHORIZED", "Unauthorized")
			return
		}
		m.mu.Lock()
		defer m.mu.Unlock()
		h(w, r)
	}
}

// reserve is cveIdReserve, in the order its controller checks.
func (m *Server) reserve(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	short, year, amount := q.Get("short_name"), q.Get("cve_year"), q.Get("amount")
	switch n, err := strconv.Atoi(amount); {
	case short != "" && short != m.Org:
		fail(w, 403, "ORG_CANNOT_RESERVE_FOR_OTHER", "The organization designated by the CVE-API-ORG header is not allowed to reserve IDs for the organization specified by the short_name query parameter.")
	case short == "":
		fail(w, 400, "NO_ORG_SHORTNAME", "The short_name query parameter is required to reserve CVE IDs.")
	case year == "":
		fail(w, 400, "NO_YEAR", "The cve_year query parameter is required [1999-present+1].")
	case amount == "":
		fail(w, 400, "NO_AMOUNT", "The amount query parameter is required and needs to be above 0.")
	case err != nil || n <= 0:
		fail(w, 400, "INVALID_AMOUNT", "The amount query parameter needs to be above 0.")
	case n > 1 && q.Get("batch_type") == "":
		fail(w, 400, "NO_BATCH_TYPE", "The batch_type query parameter must be specified when reserving more than one CVE ID. Available values are: sequential, nonsequential, non-sequential.")
	case year != strconv.Itoa(m.Year):
		fail(w, 403, "CANNOT_RESERVE_FOR_YEAR", "IDR is not currently configured to reserve IDs for year "+year+". If you believe you are receiving this message in error, please contact an administrator.")
	default:
		var out []map[string]any
		for range n {
			id := fmt.Sprintf("CVE-%s-%d", year, m.next)
			m.next++
			m.ids[id], m.owner[id] = "RESERVED", m.Org
			out = append(out, map[string]any{"cve_id": id, "cve_year": year, "owning_cna": m.Org, "state": "RESERVED",
				"requested_by": map[string]string{"cna": m.Org, "user": m.User}, "reserved": time.Now().UTC().Format(time.RFC3339Nano)})
		}
		writeJSON(w, 200, map[string]any{"cve_ids": out, "meta": map[string]int{"remaining_quota": 100}})
	}
}

func (m *Server) getID(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	st, ok := m.ids[id]
	if !ok {
		fail(w, 404, "CVE_ID_NOT_FOUND", id+" not found")
		return
	}
	writeJSON(w, 200, map[string]any{"cve_id": id, "cve_year": id[4:8], "owning_cna": m.owner[id], "state": st,
		"requested_by": map[string]string{"cna": m.owner[id], "user": m.User}})
}

// container reads the body {"cnaContainer": …}, sets providerMetadata as
// the services do, and checks the container against the schema.
func (m *Server) container(w http.ResponseWriter, r *http.Request) (json.RawMessage, bool) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		fail(w, 400, "BAD_INPUT", "Parameters were invalid")
		return nil, false
	}
	b, _ := io.ReadAll(r.Body)
	var body map[string]map[string]any
	if err := json.Unmarshal(b, &body); err != nil || body["cnaContainer"] == nil {
		writeJSON(w, 400, map[string]any{"error": "BAD_INPUT", "message": "Parameters were invalid",
			"details": []map[string]string{{"msg": "Invalid value", "param": "cnaContainer", "location": "body"}}})
		return nil, false
	}
	c := body["cnaContainer"]
	c["providerMetadata"] = map[string]string{"orgId": "8254265b-2729-46b6-b9e3-3dfca2d5bfca", "shortName": m.Org,
		"dateUpdated": time.Now().UTC().Format("2006-01-02T15:04:05.000Z")}
	cb, _ := json.Marshal(c)
	if err := m.check(cb); err != nil {
		m.t.Logf("mock CVE Services: the container fails the schema: %v", err)
		writeJSON(w, 400, map[string]any{"error": "INVALID_JSON_SCHEMA", "message": "CVE cnaContainer JSON schema validation FAILED.",
			"details": map[string]any{"errors": []string{err.Error()}}})
		return nil, false
	}
	return cb, true
}

// owned answers for an id that is not reserved or not the CNA's, as the
// controllers do; it reports whether the id may be written.
func (m *Server) owned(w http.ResponseWriter, id string) bool {
	if _, ok := m.ids[id]; !ok {
		fail(w, 400, "CVEID_DNE", "The cve id does not exist.")
		return false
	}
	if m.owner[id] != m.Org {
		fail(w, 403, "CVEID_ORG_DOES_NOT_MATCH", "The cve id owning org does not match user org.")
		return false
	}
	return true
}

func (m *Server) createRecord(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !m.owned(w, id) {
		return
	}
	if _, ok := m.cna[id]; ok {
		fail(w, 403, "CVE_RECORD_EXISTS", "The cve record for the cve id already exists.")
		return
	}
	c, ok := m.container(w, r)
	if !ok {
		return
	}
	m.cna[id], m.ids[id] = c, "PUBLISHED"
	writeJSON(w, 200, map[string]any{"message": id + " record was successfully created.",
		"created": map[string]any{"containers": map[string]json.RawMessage{"cna": c}}})
}

func (m *Server) updateRecord(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !m.owned(w, id) {
		return
	}
	if _, ok := m.cna[id]; !ok {
		fail(w, 403, "CVE_RECORD_DNE", "The cve record for the cve id does not exist.")
		return
	}
	c, ok := m.container(w, r)
	if !ok {
		return
	}
	m.cna[id] = c
	writeJSON(w, 200, map[string]any{"message": id + " record was successfully updated.",
		"updated": map[string]any{"containers": map[string]json.RawMessage{"cna": c}}})
}

// Calls returns the requests received, "METHOD /path?query", in order.
func (m *Server) Calls() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.calls...)
}

// State returns the state of a CVE id ("" if never reserved).
func (m *Server) State(id string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.ids[id]
}

// Container returns the CNA container last published for a CVE id, as
// stored (its providerMetadata set by the server), or nil.
func (m *Server) Container(id string) json.RawMessage {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cna[id]
}

// ReserveFor reserves an id for another CNA, for tests of ownership.
func (m *Server) ReserveFor(org, id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ids[id], m.owner[id] = "RESERVED", org
}
