package http

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/csaf"
)

// The CSAF trusted provider: /.well-known/csaf/provider-metadata.json,
// the TLP:WHITE documents under white/<year>/ with their hashes and
// signatures, index.txt, changes.csv, the directory listings and the
// ROLIE feed (package csaf makes them all). Like every public page it is
// made from PublishedAdvisories, which returns published and withdrawn
// documents only, whoever asks: an embargoed document is in no file. It
// is served only when the site has a signing key, since a trusted
// provider signs every document; without one every path is a 404.

// csafCache keeps the provider's files until a document changes: each
// document is signed once, not at every request.
type csafCache struct {
	mu    sync.Mutex
	key   string
	files map[string]csaf.File
}

func (s *Server) csafProvider(w http.ResponseWriter, r *http.Request) error {
	files, err := s.csafFiles(r)
	if err != nil {
		return err
	}
	f, ok := files[r.URL.Path]
	if !ok {
		return vmt.NotFound("file")
	}
	return servePublic(w, r, f.ContentType, f.Modified, f.Body)
}

func (s *Server) csafFiles(r *http.Request) (map[string]csaf.File, error) {
	signer := s.svc.Deps().Publication.Signer
	if signer == nil {
		return nil, vmt.NotFound("CSAF provider")
	}
	ctx := r.Context()
	ds, _, err := s.svc.PublishedAdvisories(ctx, "")
	if err != nil {
		return nil, err
	}
	base := s.baseURL(r)
	pubs := map[int64]*vmt.Publisher{}
	var names, spaces []string
	for _, d := range ds {
		if _, ok := pubs[d.ProjectID]; ok {
			continue
		}
		pub, err := s.svc.Publisher(ctx, d.ProjectID)
		if err != nil {
			return nil, err
		}
		pubs[d.ProjectID] = pub
		names = append(names, pub.Vendor)
		spaces = append(spaces, pub.CSAFNamespace)
	}
	// What the files depend on: the site's URL, the key, each project's
	// publisher and each document's version. A new erratum, a withdrawal
	// or a changed namespace changes the key.
	var key strings.Builder
	fmt.Fprintf(&key, "%s|%s", base, signer.KeyFingerprint())
	ids := make([]int64, 0, len(pubs))
	for id := range pubs {
		ids = append(ids, id)
	}
	slices.Sort(ids) // one key for the same state: a map's order varies
	for _, id := range ids {
		fmt.Fprintf(&key, "|%d %+v", id, *pubs[id])
	}
	for _, d := range ds {
		fmt.Fprintf(&key, "|%s %d %v %v %v", d.ID, len(d.Revisions), d.Published, d.Modified, d.State)
	}
	s.csaf.mu.Lock()
	defer s.csaf.mu.Unlock()
	if s.csaf.key == key.String() && s.csaf.files != nil {
		return s.csaf.files, nil
	}
	var docs []csaf.ProviderDoc
	for _, d := range ds {
		if !d.Public() {
			continue // PublishedAdvisories returns none; this holds whatever changes there
		}
		b, err := exportAdvisory(d, "csaf", "", pubs[d.ProjectID], base, false)
		if err != nil {
			s.log.WarnContext(ctx, "csaf provider: a document has no CSAF export", "id", d.ID.String(), "err", err)
			continue
		}
		doc, err := providerDoc(b)
		if err != nil {
			return nil, err
		}
		vendor := d.Vendor
		if vendor == "" {
			vendor = pubs[d.ProjectID].Vendor
		}
		doc.Categories = append([]string{vendor}, d.ComponentNames()...)
		docs = append(docs, doc)
	}
	o := csaf.ProviderOptions{BaseURL: base, Publisher: providerName(base, names), Namespace: base,
		Fingerprint: signer.KeyFingerprint(), Sign: signer.SignDetached}
	if len(spaces) == 1 && spaces[0] != "" {
		o.Namespace = spaces[0]
	}
	if o.PublicKey, err = signer.ArmoredPublicKey(); err != nil {
		return nil, err
	}
	files, err := csaf.Provider(docs, o)
	if err != nil {
		return nil, err
	}
	s.csaf.key, s.csaf.files = key.String(), files
	return files, nil
}

// providerDoc reads what the provider lists of an exported document from
// the document itself, so that changes.csv and the feed say exactly what
// its tracking says.
func providerDoc(b []byte) (csaf.ProviderDoc, error) {
	var d struct {
		Document struct {
			Title    string `json:"title"`
			Tracking struct {
				ID      string `json:"id"`
				Initial string `json:"initial_release_date"`
				Current string `json:"current_release_date"`
			} `json:"tracking"`
		} `json:"document"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		return csaf.ProviderDoc{}, fmt.Errorf("csaf provider: %w", err)
	}
	tr := d.Document.Tracking
	initial, err := time.Parse(time.RFC3339, tr.Initial)
	if err != nil {
		return csaf.ProviderDoc{}, fmt.Errorf("csaf provider: %s: %w", tr.ID, err)
	}
	current, err := time.Parse(time.RFC3339, tr.Current)
	if err != nil {
		return csaf.ProviderDoc{}, fmt.Errorf("csaf provider: %s: %w", tr.ID, err)
	}
	return csaf.ProviderDoc{ID: tr.ID, Title: d.Document.Title, JSON: b, Initial: initial, Current: current}, nil
}

// providerName is the vendor of the site's documents when they have one,
// else the site's host.
func providerName(base string, vendors []string) string {
	if len(vendors) == 1 && vendors[0] != "" {
		return vendors[0]
	}
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		return u.Host
	}
	return "vmt"
}
