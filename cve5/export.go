package cve5

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vmtproject/vmt"
)

// Options say who publishes the record: the CNA's organisation UUID (from
// the CVE Program's registry) and its short name.
type Options struct {
	OrgID     string
	ShortName string
}

var uuidRE = regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-4[0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$`)

// Limits of the CVE Record Format.
const (
	maxText    = 4096
	maxTitle   = 256
	maxVersion = 1024
	maxMedia   = 16384
)

// FromAdvisory returns the record of one CVE of a published advisory. It
// refuses a draft or embargoed advisory (ECONFLICT), a withdrawn one (its
// CVE is rejected through CVE Services, not exported), a CVE the advisory
// does not list, text over the format's limits and a bad CVSS vector
// (EINVALID naming the field).
func FromAdvisory(a *vmt.Advisory, cve string, o Options) (*Record, error) {
	if err := check(a, cve, o); err != nil {
		return nil, err
	}
	metrics, err := metrics(a)
	if err != nil {
		return nil, err
	}
	cna := CNA{
		ProviderMetadata: ProviderMetadata(o),
		Title:            truncate(a.Title, maxTitle),
		DatePublic:       stamp(a.Published),
		Descriptions:     []Description{descriptionEntry(description(a))},
		Affected:         products(a),
		ProblemTypes:     problemTypes(a),
		Metrics:          metrics,
		References:       references(a),
		Credits:          credits(a),
		Source:           map[string]any{"advisory": a.ID.String(), "discovery": "UNKNOWN"},
	}
	if m := strings.TrimSpace(a.Mitigation); m != "" {
		cna.Workarounds = []Description{{Lang: "en", Value: m}}
	}
	if len(cna.References) == 0 {
		return nil, vmt.Invalid("references", "a CVE record needs at least one reference; add the report or a patch")
	}
	return &Record{
		DataType: "CVE_RECORD", DataVersion: DataVersion,
		CVEMetadata: Metadata{CVEID: cve, AssignerOrgID: o.OrgID, AssignerShortName: o.ShortName,
			State: "PUBLISHED", DatePublished: stamp(a.Published), DateUpdated: stamp(modified(a))},
		Containers: Containers{CNA: cna},
	}, nil
}

// Records returns one record per CVE of a, in order.
func Records(a *vmt.Advisory, o Options) ([]*Record, error) {
	if len(a.CVEs) == 0 {
		if err := a.CheckExportable(); err != nil {
			return nil, err
		}
		return nil, vmt.Invalid("cves", "%s has no CVE id: there is no CVE record to write", a.ID)
	}
	var out []*Record
	for _, c := range a.CVEs {
		r, err := FromAdvisory(a, c, o)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// Marshal writes r as indented JSON ending in a newline, with no HTML
// escaping (descriptions keep their < and >).
func Marshal(r *Record) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return nil, fmt.Errorf("cve5: %w", err)
	}
	return b.Bytes(), nil
}

func check(a *vmt.Advisory, cve string, o Options) error {
	if err := a.CheckExportable(); err != nil {
		return err
	}
	if a.State == vmt.AdvisoryWithdrawn {
		return vmt.Errorf(vmt.ECONFLICT, "%s is withdrawn: its CVE is rejected through CVE Services, not exported as a published record", a.ID)
	}
	if !slices.Contains(a.CVEs, cve) {
		return vmt.Invalid("cves", "%s does not list %s", a.ID, cve)
	}
	if !uuidRE.MatchString(o.OrgID) {
		return vmt.Invalid("org_id", "%q is not the CNA's organisation UUID", o.OrgID)
	}
	if len(description(a)) > maxMedia {
		return vmt.Invalid("description", "is longer than the %d bytes a CVE record can carry", maxMedia)
	}
	if utf8.RuneCountInString(a.Mitigation) > maxText {
		return vmt.Invalid("mitigation", "has more than the %d characters a CVE workaround may have", maxText)
	}
	return nil
}

func description(a *vmt.Advisory) string { return strings.TrimSpace(a.Description) }

// descriptionEntry fits the description in the record: whole when it is
// short enough; otherwise shortened at a paragraph or word boundary, with
// the whole text beside it as supporting media (up to 16 KiB).
func descriptionEntry(d string) Description {
	if utf8.RuneCountInString(d) <= maxText {
		return Description{Lang: "en", Value: d}
	}
	const more = " […]"
	cut := string([]rune(d)[:maxText-utf8.RuneCountInString(more)])
	if i := strings.LastIndex(cut, "\n\n"); i > maxText/2 {
		cut = cut[:i]
	} else if i := strings.LastIndexAny(cut, " \n"); i > 0 {
		cut = cut[:i]
	}
	return Description{Lang: "en", Value: strings.TrimSpace(cut) + more,
		SupportingMedia: []Media{{Type: "text/markdown", Value: d}}}
}

func modified(a *vmt.Advisory) *time.Time {
	if a.Modified != nil {
		return a.Modified
	}
	return a.Published
}

func stamp(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
