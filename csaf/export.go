// Package csaf writes a published advisory as a CSAF 2.0 security advisory
// (profile csaf_security_advisory): the document with its notes, tracking
// and acknowledgements, a product tree of the affected components and
// their version ranges and fixed versions, and one vulnerability per CVE
// with product status, scores and remediations. It builds the types of
// github.com/gocsaf/csaf/v3 and checks every document with its offline
// ValidateCSAF before handing it out.
package csaf

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	gocsaf "github.com/gocsaf/csaf/v3/csaf"

	"github.com/vmtproject/vmt"
)

// Options name the publisher of the document.
type Options struct {
	// Publisher is the issuing party's name; the advisory's vendor when
	// empty.
	Publisher string
	// Namespace is the publisher's URL (https://katacontainers.io).
	Namespace string
	// Embargoed says the document is the preview of an embargoed
	// advisory, for those let in on its report only: its publication
	// date is the one planned (the report's disclosure date, which the
	// caller gives the advisory), so that its readers see when it will
	// be public (initial_release_date in the future, as CERT/CC VINCE
	// users asked), and it is labelled TLP AMBER instead of WHITE.
	Embargoed bool
}

// Document is a CSAF document: gocsaf's types, and the acknowledgments
// apart, because gocsaf v3.7.0 spells that field "acknowledgements", which
// the CSAF 2.0 schema does not allow (its ValidateCSAF refuses it too).
type Document struct {
	Advisory        *gocsaf.Advisory
	Acknowledgments gocsaf.Acknowledgements // of the document
}

// FromAdvisory returns the CSAF document of a published or withdrawn
// advisory. A draft or embargoed advisory is refused (ECONFLICT), a bad
// CVSS vector or a bad namespace is EINVALID naming the field.
func FromAdvisory(a *vmt.Advisory, o Options) (*Document, error) {
	if err := a.CheckExportable(); err != nil {
		return nil, err
	}
	if err := vmt.CheckURL("namespace", o.Namespace); err != nil {
		return nil, err
	}
	if o.Publisher == "" {
		o.Publisher = a.Vendor
	}
	if o.Publisher == "" {
		return nil, vmt.Invalid("publisher", "is required when the advisory names no vendor")
	}
	tree, prods := productTree(a, o.Publisher)
	vulns, err := vulnerabilities(a, prods)
	if err != nil {
		return nil, err
	}
	adv := &gocsaf.Advisory{Document: document(a, o), ProductTree: tree, Vulnerabilities: vulns}
	return &Document{Advisory: adv, Acknowledgments: acknowledgements(a)}, nil
}

// Export returns the CSAF JSON of a, checked against the CSAF 2.0 schema.
func Export(a *vmt.Advisory, o Options) ([]byte, error) {
	doc, err := FromAdvisory(a, o)
	if err != nil {
		return nil, err
	}
	return Marshal(doc)
}

// Marshal writes doc as indented JSON (keys sorted) ending in a newline,
// after checking it against the CSAF 2.0 schema: a document that does not
// conform is an error, never output.
func Marshal(doc *Document) ([]byte, error) {
	raw, err := json.Marshal(doc.Advisory)
	if err != nil {
		return nil, fmt.Errorf("csaf: %w", err)
	}
	var generic map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&generic); err != nil {
		return nil, fmt.Errorf("csaf: %w", err)
	}
	if len(doc.Acknowledgments) > 0 {
		generic["document"].(map[string]any)["acknowledgments"] = doc.Acknowledgments
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(generic); err != nil {
		return nil, fmt.Errorf("csaf: %w", err)
	}
	var check any
	if err := json.Unmarshal(b.Bytes(), &check); err != nil {
		return nil, fmt.Errorf("csaf: %w", err)
	}
	errs, err := gocsaf.ValidateCSAF(check)
	if err != nil {
		return nil, fmt.Errorf("csaf: validating: %w", err)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("csaf: the document does not conform to the CSAF 2.0 schema: %s", strings.Join(errs, "; "))
	}
	return b.Bytes(), nil
}

func document(a *vmt.Advisory, o Options) *gocsaf.Document {
	cat := gocsaf.DocumentCategory("csaf_security_advisory")
	ver := gocsaf.CSAFVersion20
	lang := gocsaf.Lang("en")
	pubCat := gocsaf.CSAFCategoryVendor
	d := &gocsaf.Document{
		Category: &cat, CSAFVersion: &ver, Lang: &lang, Title: ptr(a.Title),
		Publisher:    &gocsaf.DocumentPublisher{Category: &pubCat, Name: ptr(o.Publisher), Namespace: ptr(o.Namespace)},
		Distribution: distribution(a, o),
		Notes:        documentNotes(a),
		References:   references(a.References),
		Tracking:     tracking(a),
	}
	return d
}

// distribution is who may read the document, in the TLP labels CSAF 2.0
// allows (TLP 1.0: WHITE, GREEN, AMBER, RED; its schema has no TLP 2.0
// label, so no CLEAR nor AMBER+STRICT). A published one is TLP
// WHITE, public. An embargoed one is AMBER: its readers are those let in
// on the report (the VMT, the reporter, the stakeholders told under
// embargo), who must pass it on inside their organisation to prepare
// their fixes and packages, which RED (the named recipients only) would
// forbid, and who must not publish it before the disclosure date.
func distribution(a *vmt.Advisory, o Options) *gocsaf.DocumentDistribution {
	if o.Embargoed {
		tlp := gocsaf.TLPLabel(gocsaf.TLPLabelAmber)
		return &gocsaf.DocumentDistribution{
			Text: ptr(fmt.Sprintf("Embargoed until %s: for those let in on the report and, on a need-to-know basis, their organisations; not to be published before then.",
				stamp(*a.Published))),
			TLP: &gocsaf.TLP{DocumentTLPLabel: &tlp}}
	}
	tlp := gocsaf.TLPLabel(gocsaf.TLPLabelWhite)
	return &gocsaf.DocumentDistribution{Text: ptr("Public: disclosure is not limited."),
		TLP: &gocsaf.TLP{DocumentTLPLabel: &tlp}}
}

func documentNotes(a *vmt.Advisory) gocsaf.Notes {
	summary := a.Summary
	if summary == "" {
		summary = a.Title
	}
	ns := gocsaf.Notes{note(gocsaf.CSAFNoteCategorySummary, "Summary", summary)}
	if a.Kind == vmt.KindNote {
		ns = append(ns, note(gocsaf.CSAFNoteCategoryGeneral, "Security note",
			"This document is a security note: it describes a weakness that has no complete fix in every supported release."))
	}
	for i, n := range a.Notes {
		ns = append(ns, note(gocsaf.CSAFNoteCategoryOther, fmt.Sprintf("Note %d", i+1), n))
	}
	if a.Errata != "" {
		ns = append(ns, note(gocsaf.CSAFNoteCategoryGeneral, "Errata", a.Errata))
	}
	return ns
}

func note(c gocsaf.NoteCategory, title, text string) *gocsaf.Note {
	return &gocsaf.Note{NoteCategory: &c, Title: ptr(title), Text: ptr(text)}
}

func tracking(a *vmt.Advisory) *gocsaf.Tracking {
	status := gocsaf.CSAFTrackingStatusFinal
	id := gocsaf.TrackingID(a.ID.String())
	var hist gocsaf.Revisions
	for _, r := range a.Revisions {
		n := gocsaf.RevisionNumber(fmt.Sprint(r.Number))
		hist = append(hist, &gocsaf.Revision{Date: ptr(stamp(r.Date)), Number: &n, Summary: ptr(r.Summary)})
	}
	if len(hist) == 0 {
		n := gocsaf.RevisionNumber("1")
		hist = gocsaf.Revisions{{Date: ptr(stamp(*a.Published)), Number: &n, Summary: ptr("Initial version")}}
	}
	version := *hist[len(hist)-1].Number
	current := *a.Published
	if a.Modified != nil {
		current = *a.Modified
	}
	if last, _ := time.Parse(time.RFC3339, *hist[len(hist)-1].Date); last.After(current) {
		current = last
	}
	t := &gocsaf.Tracking{
		ID: &id, Status: &status, Version: &version, RevisionHistory: hist,
		InitialReleaseDate: ptr(stamp(*a.Published)), CurrentReleaseDate: ptr(stamp(current)),
		Generator: &gocsaf.Generator{Engine: &gocsaf.Engine{Name: ptr("vmt")}},
	}
	for _, al := range a.Aliases {
		t.Aliases = append(t.Aliases, ptr(al))
	}
	return t
}

func acknowledgements(a *vmt.Advisory) gocsaf.Acknowledgements {
	var out gocsaf.Acknowledgements
	for _, c := range a.Credits {
		ack := &gocsaf.Acknowledgement{Names: []*string{ptr(c.Name)},
			Summary: ptr(strings.ReplaceAll(strings.ToLower(string(c.Type)), "_", " "))}
		if c.Affiliation != "" {
			ack.Organization = ptr(c.Affiliation)
		}
		out = append(out, ack)
	}
	return out
}

func references(rs []vmt.Reference) gocsaf.References {
	var out gocsaf.References
	seen := map[string]bool{}
	for _, r := range rs {
		if seen[r.URL] {
			continue
		}
		seen[r.URL] = true
		out = append(out, &gocsaf.Reference{ReferenceCategory: ptr(string(gocsaf.CSAFReferenceCategoryExternal)),
			Summary: ptr(strings.ToLower(string(r.Type))), URL: ptr(r.URL)})
	}
	return out
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func ptr[T any](v T) *T { return &v }
