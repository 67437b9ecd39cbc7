package http

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/vmtproject/vmt"
)

// The site's security.txt (RFC 9116) says how to report a vulnerability
// here: the VMT's address and the report form (Contact), the key to
// encrypt to (Encryption), each project's disclosure policy (Policy), in
// English, at its canonical URL, with an Expires always in the future.
// When the site has a signing key it is an OpenPGP cleartext-signed
// message (§2.3), by the key that signs the VMT's mail, whose public part
// is served at KeyPath. /security.txt, the legacy place, redirects.

// Paths of the files security.txt names.
const (
	SecurityTxtPath = "/.well-known/security.txt"
	// KeyPath serves the public part of the site's key: there is one key,
	// which signs and to which reporters encrypt.
	KeyPath = "/keys/vmt.asc"
)

// securityTxtLife is how far ahead a security.txt expires: RFC 9116
// recommends less than a year. Counted from the start of the UTC day, the
// file stays the same all day (one signature a day) and still expires
// more than 364 days after it is served.
func securityTxtExpires(now time.Time) time.Time {
	day := now.UTC().Truncate(24 * time.Hour)
	return day.AddDate(1, 0, 0).Add(-time.Second)
}

// securityTxtCache keeps the day's signed file: signing at every request
// of a public, unauthenticated URL would let anyone spend the server's
// time on signatures.
type securityTxtCache struct {
	mu   sync.Mutex
	key  string
	body []byte
}

func (s *Server) securityTxt(w http.ResponseWriter, r *http.Request) error {
	body, err := s.securityTxtBody(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", fmt.Sprintf("public, max-age=%d", int(publicMaxAge.Seconds())))
	_, err = w.Write(body)
	return err
}

// securityTxtBody is the file for this site and day, signed when the site
// has a key; it is made again when anything it says changes.
func (s *Server) securityTxtBody(r *http.Request) ([]byte, error) {
	ps, err := s.svc.Projects(r.Context(), vmt.Actor{})
	if err != nil {
		return nil, err
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	pub := s.svc.Deps().Publication
	f := securityTxtFields{Base: s.baseURL(r), Contact: pub.Contact, Projects: names,
		Signed: pub.Signer != nil, Expires: securityTxtExpires(time.Now())}
	key := f.String()
	if pub.Signer != nil {
		key += "|" + pub.Signer.KeyFingerprint()
	}
	s.sectxt.mu.Lock()
	defer s.sectxt.mu.Unlock()
	if s.sectxt.key == key {
		return s.sectxt.body, nil
	}
	body := []byte(f.String())
	if pub.Signer != nil {
		if body, err = pub.Signer.ClearSign(body); err != nil {
			return nil, fmt.Errorf("security.txt: %w", err)
		}
	}
	s.sectxt.key, s.sectxt.body = key, body
	return body, nil
}

// securityTxtFields are what the file says.
type securityTxtFields struct {
	Base     string   // the site's URL, without a final "/"
	Contact  string   // the VMT's address; "" for none
	Projects []string // each has a policy page
	Signed   bool     // the site has a key: Encryption names it
	Expires  time.Time
}

// String writes the fields in RFC 9116's syntax, a comment first.
func (f securityTxtFields) String() string {
	var b strings.Builder
	host := f.Base
	if u, err := url.Parse(f.Base); err == nil && u.Host != "" {
		host = u.Host
	}
	fmt.Fprintf(&b, "# How to report a vulnerability to the projects of %s.\n", host)
	b.WriteString("# Reports are private until disclosed; see each project's policy.\n")
	if a := strings.TrimSpace(f.Contact); a != "" {
		fmt.Fprintf(&b, "Contact: %s\n", (&url.URL{Scheme: "mailto", Opaque: a}).String())
	}
	fmt.Fprintf(&b, "Contact: %s/report\n", f.Base)
	if f.Signed {
		fmt.Fprintf(&b, "Encryption: %s%s\n", f.Base, KeyPath)
	}
	for _, p := range f.Projects {
		fmt.Fprintf(&b, "Policy: %s\n", f.Base+policyPath(p))
	}
	b.WriteString("Preferred-Languages: en\n")
	fmt.Fprintf(&b, "Canonical: %s%s\n", f.Base, SecurityTxtPath)
	fmt.Fprintf(&b, "Expires: %s\n", f.Expires.UTC().Format(time.RFC3339))
	return b.String()
}

// policyPath is the public page of a project's disclosure policy.
func policyPath(project string) string { return "/projects/" + url.PathEscape(project) + "/policy" }

// securityTxtLegacy sends the top-level /security.txt to the
// /.well-known/ one, as RFC 9116 §3 allows.
func securityTxtLegacy(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, SecurityTxtPath, http.StatusMovedPermanently)
}

// vmtKey serves the public part of the site's key, which security.txt
// names for encrypting reports and which verifies its signature; 404
// when the site has none.
func (s *Server) vmtKey(w http.ResponseWriter, r *http.Request) error {
	signer := s.svc.Deps().Publication.Signer
	if signer == nil {
		return vmt.NotFound("key")
	}
	b, err := signer.ArmoredPublicKey()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pgp-keys")
	w.Header().Set("Cache-Control", fmt.Sprintf("public, max-age=%d", int(publicMaxAge.Seconds())))
	_, err = w.Write(b)
	return err
}
