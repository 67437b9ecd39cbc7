package csaf

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"slices"
	"strings"
	"time"

	gocsaf "github.com/gocsaf/csaf/v3/csaf"
)

// A CSAF trusted provider (CSAF 2.0 section 7.2.3) is files under
// /.well-known/csaf/: provider-metadata.json naming the distribution,
// the OpenPGP key, and for each TLP:WHITE document its file in a folder
// of the year of its initial release, with .sha256, .sha512 and an .asc
// signature beside it; index.txt and changes.csv listing them; directory
// listings; and a ROLIE feed. Provider makes all of them from the
// documents' exports, so that what is hashed and signed is byte for byte
// what is served.

// WellKnown is the provider's folder, from the site's root.
const WellKnown = "/.well-known/csaf"

// ProviderDoc is one public document as the provider lists it.
type ProviderDoc struct {
	ID    string // its tracking id, KCSA-2026-001
	Title string
	JSON  []byte // its CSAF document, as Export writes it
	// Initial and Current are its initial and current release dates, as
	// the document's tracking says.
	Initial, Current time.Time
	// Categories distinguish it in the ROLIE category document: its
	// vendor and components.
	Categories []string
}

// ProviderOptions say who the provider is and how it signs.
type ProviderOptions struct {
	BaseURL   string // the site's URL, https://vmt.example.org
	Publisher string // the provider's name
	Namespace string // the provider's URL
	// Fingerprint, PublicKey and Sign are the OpenPGP key: its
	// fingerprint, its armored public part and a detached signer.
	Fingerprint string
	PublicKey   []byte
	Sign        func([]byte) ([]byte, error)
}

// File is one file of the provider.
type File struct {
	Body        []byte
	ContentType string
	Modified    time.Time
}

// Provider returns every file of the provider by its path from the site's
// root ("/.well-known/csaf/provider-metadata.json"); a folder's listing is
// at its path with a trailing slash.
func Provider(docs []ProviderDoc, o ProviderOptions) (map[string]File, error) {
	if o.Sign == nil || o.Fingerprint == "" || len(o.PublicKey) == 0 {
		return nil, fmt.Errorf("csaf provider: a trusted provider signs its documents: no signing key")
	}
	base := strings.TrimRight(o.BaseURL, "/")
	root := base + WellKnown
	white := WellKnown + "/white"
	files := map[string]File{}
	var latest time.Time
	for _, d := range docs {
		if d.Current.After(latest) {
			latest = d.Current
		}
	}
	if latest.IsZero() {
		latest = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC) // no document yet
	}
	put := func(path string, body []byte, ctype string, mod time.Time) {
		files[path] = File{Body: body, ContentType: ctype, Modified: mod}
	}

	// Newest first, as changes.csv must be.
	docs = slices.Clone(docs)
	slices.SortStableFunc(docs, func(a, b ProviderDoc) int {
		if c := b.Current.Compare(a.Current); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	years := map[string][]string{} // year → file names
	var index, changes bytes.Buffer
	cw := csv.NewWriter(&changes)
	var entries []*gocsaf.Entry
	var categories []string
	for _, d := range docs {
		categories = append(categories, d.Categories...)
		year := fmt.Sprint(d.Initial.UTC().Year())
		name := FileName(d.ID)
		rel := year + "/" + name
		path := white + "/" + rel
		put(path, d.JSON, "application/json", d.Current)
		s256, s512 := sha256.Sum256(d.JSON), sha512.Sum512(d.JSON)
		put(path+".sha256", []byte(hex.EncodeToString(s256[:])+"  "+name+"\n"), "text/plain; charset=utf-8", d.Current)
		put(path+".sha512", []byte(hex.EncodeToString(s512[:])+"  "+name+"\n"), "text/plain; charset=utf-8", d.Current)
		sig, err := o.Sign(d.JSON)
		if err != nil {
			return nil, fmt.Errorf("csaf provider: signing %s: %w", d.ID, err)
		}
		put(path+".asc", sig, "application/pgp-signature", d.Current)
		years[year] = append(years[year], name)
		index.WriteString(rel + "\n")
		if err := cw.Write([]string{rel, stamp(d.Current)}); err != nil {
			return nil, fmt.Errorf("csaf provider: changes.csv: %w", err)
		}
		u := base + path
		entries = append(entries, &gocsaf.Entry{
			ID: d.ID, Titel: d.Title,
			Link: []gocsaf.Link{{Rel: "self", HRef: u}, {Rel: "hash", HRef: u + ".sha256"},
				{Rel: "hash", HRef: u + ".sha512"}, {Rel: "signature", HRef: u + ".asc"}},
			Published: gocsaf.TimeStamp(d.Initial.UTC()), Updated: gocsaf.TimeStamp(d.Current.UTC()),
			Content: gocsaf.Content{Type: "application/json", Src: u},
			Format:  gocsaf.Format{Schema: "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json", Version: "2.0"},
		})
	}
	cw.Flush()
	put(white+"/index.txt", index.Bytes(), "text/plain; charset=utf-8", latest)
	put(white+"/changes.csv", changes.Bytes(), "text/csv; charset=utf-8", latest)

	// Directory listings: the TLP folder lists its files and years, each
	// year its documents and their companions.
	top := []string{"category-white.json", "changes.csv", "index.txt", feedName}
	var yearNames []string
	for y := range years {
		yearNames = append(yearNames, y)
	}
	slices.Sort(yearNames)
	for _, y := range yearNames {
		top = append(top, y+"/")
		var names []string
		for _, n := range years[y] {
			names = append(names, n, n+".asc", n+".sha256", n+".sha512")
		}
		slices.Sort(names)
		put(white+"/"+y+"/", listing(white+"/"+y+"/", names), "text/html; charset=utf-8", latest)
	}
	put(white+"/", listing(white+"/", top), "text/html; charset=utf-8", latest)
	put(WellKnown+"/", listing(WellKnown+"/", []string{"openpgp/", "provider-metadata.json", "service.json", "white/"}), "text/html; charset=utf-8", latest)

	// The ROLIE feed of the TLP:WHITE documents.
	feedURL := root + "/white/" + feedName
	feed := gocsaf.ROLIEFeed{Feed: gocsaf.FeedData{
		ID: "csaf-feed-tlp-white", Title: o.Publisher + " CSAF feed (TLP:WHITE)",
		Link:     []gocsaf.Link{{Rel: "self", HRef: feedURL}},
		Category: []gocsaf.ROLIECategory{{Scheme: "urn:ietf:params:rolie:category:information-type", Term: "csaf"}},
		Updated:  gocsaf.TimeStamp(latest.UTC()), Entry: entries,
	}}
	b, err := indentJSON(feed)
	if err != nil {
		return nil, err
	}
	put(white+"/"+feedName, b, "application/json", latest)

	// The ROLIE service document beside provider-metadata.json lists the
	// feed; the category document beside the feed, what tells its
	// documents apart.
	infoType := gocsaf.ROLIEServiceWorkspaceCollectionCategories{Category: []gocsaf.ROLIEServiceWorkspaceCollectionCategoriesCategory{
		{Scheme: "urn:ietf:params:rolie:category:information-type", Term: "csaf"}}}
	service := gocsaf.ROLIEServiceDocument{Service: gocsaf.ROLIEService{Workspace: []gocsaf.ROLIEServiceWorkspace{{
		Title:      o.Publisher + " CSAF feeds",
		Collection: []gocsaf.ROLIEServiceWorkspaceCollection{{Title: "TLP:WHITE advisories", HRef: feedURL, Categories: infoType}},
	}}}}
	if b, err = indentJSON(service); err != nil {
		return nil, err
	}
	put(WellKnown+"/service.json", b, "application/json", latest)
	if b, err = indentJSON(gocsaf.NewROLIECategoryDocument(categories...)); err != nil {
		return nil, err
	}
	put(white+"/category-white.json", b, "application/json", latest)

	// The key, under its fingerprint.
	keyURL := root + "/openpgp/" + o.Fingerprint + ".asc"
	put(WellKnown+"/openpgp/"+o.Fingerprint+".asc", o.PublicKey, "application/pgp-keys", latest)
	put(WellKnown+"/openpgp/", listing(WellKnown+"/openpgp/", []string{o.Fingerprint + ".asc"}), "text/html; charset=utf-8", latest)

	role := gocsaf.MetadataRoleTrustedProvider
	version := gocsaf.MetadataVersion20
	canonical := gocsaf.ProviderURL(root + "/provider-metadata.json")
	cat := gocsaf.CSAFCategoryVendor
	yes := true
	fp := gocsaf.Fingerprint(o.Fingerprint)
	updated := gocsaf.TimeStamp(latest.UTC())
	pmd := gocsaf.ProviderMetadata{
		CanonicalURL:            &canonical,
		Distributions:           []gocsaf.Distribution{{DirectoryURL: root + "/white/", Rolie: &gocsaf.ROLIE{Services: []gocsaf.JSONURL{gocsaf.JSONURL(root + "/service.json")}, Categories: []gocsaf.JSONURL{gocsaf.JSONURL(root + "/white/category-white.json")}, Feeds: []gocsaf.Feed{{Summary: "TLP:WHITE advisories", TLPLabel: ptr(gocsaf.TLPLabel(gocsaf.TLPLabelWhite)), URL: ptr(gocsaf.JSONURL(feedURL))}}}}},
		LastUpdated:             &updated,
		ListOnCSAFAggregators:   &yes,
		MirrorOnCSAFAggregators: &yes,
		MetadataVersion:         &version,
		PGPKeys:                 []gocsaf.PGPKey{{Fingerprint: fp, URL: &keyURL}},
		Publisher:               &gocsaf.Publisher{Category: &cat, Name: &o.Publisher, Namespace: &o.Namespace},
		Role:                    &role,
	}
	if b, err = indentJSON(pmd); err != nil {
		return nil, err
	}
	put(WellKnown+"/provider-metadata.json", b, "application/json", latest)
	return files, nil
}

const feedName = "csaf-feed-tlp-white.json"

// fileNameRE is what CSAF 2.0 section 5.1 replaces in a tracking id.
var fileNameRE = regexp.MustCompile(`[^+\-a-z0-9]+`)

// FileName is the file name CSAF gives the document with tracking id
// id: in lower case, every run of other characters an "_", ".json".
func FileName(id string) string {
	return fileNameRE.ReplaceAllString(strings.ToLower(id), "_") + ".json"
}

// listing is a folder's page: a link per entry, which is what the
// checker's directory-listing test reads.
func listing(path string, names []string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Index of %s</title></head><body>\n<h1>Index of %s</h1>\n<ul>\n",
		html.EscapeString(path), html.EscapeString(path))
	for _, n := range names {
		fmt.Fprintf(&b, "<li><a href=\"%s\">%s</a></li>\n", html.EscapeString(n), html.EscapeString(n))
	}
	b.WriteString("</ul>\n</body></html>\n")
	return []byte(b.String())
}

func indentJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("csaf provider: %w", err)
	}
	return b.Bytes(), nil
}
