// Package cve5 writes a published advisory as CVE JSON 5 records (CVE
// Record Format 5.1.1), one per CVE id, with the CNA container a CNA
// publishes through CVE Services: affected products and versions,
// descriptions, problem types (CWE), CVSS metrics, references and credits.
package cve5

// DataVersion is the CVE Record Format version of the records.
const DataVersion = "5.1"

// Record is a published CVE record.
type Record struct {
	DataType    string     `json:"dataType"`
	DataVersion string     `json:"dataVersion"`
	CVEMetadata Metadata   `json:"cveMetadata"`
	Containers  Containers `json:"containers"`
}

// Metadata is the record's cveMetadata.
type Metadata struct {
	CVEID             string `json:"cveId"`
	AssignerOrgID     string `json:"assignerOrgId"`
	AssignerShortName string `json:"assignerShortName,omitempty"`
	State             string `json:"state"`
	DatePublished     string `json:"datePublished,omitempty"`
	DateUpdated       string `json:"dateUpdated,omitempty"`
}

// Containers holds the CNA container.
type Containers struct {
	CNA CNA `json:"cna"`
}

// CNA is the container of the assigning CNA.
type CNA struct {
	ProviderMetadata ProviderMetadata `json:"providerMetadata"`
	Title            string           `json:"title,omitempty"`
	DatePublic       string           `json:"datePublic,omitempty"`
	Descriptions     []Description    `json:"descriptions"`
	Affected         []Product        `json:"affected"`
	ProblemTypes     []ProblemType    `json:"problemTypes,omitempty"`
	Metrics          []Metric         `json:"metrics,omitempty"`
	Workarounds      []Description    `json:"workarounds,omitempty"`
	References       []Reference      `json:"references"`
	Credits          []Credit         `json:"credits,omitempty"`
	Source           map[string]any   `json:"source,omitempty"`
}

// ProviderMetadata names the organisation that provides a container.
type ProviderMetadata struct {
	OrgID     string `json:"orgId"`
	ShortName string `json:"shortName,omitempty"`
}

// Description is text in a language.
type Description struct {
	Lang            string  `json:"lang"`
	Value           string  `json:"value"`
	SupportingMedia []Media `json:"supportingMedia,omitempty"`
}

// Media is a description in another form, such as the whole Markdown text.
type Media struct {
	Type   string `json:"type"`
	Base64 bool   `json:"base64"`
	Value  string `json:"value"`
}

// Product is one affected product and its versions.
type Product struct {
	Vendor        string    `json:"vendor"`
	Product       string    `json:"product"`
	CollectionURL string    `json:"collectionURL,omitempty"`
	PackageName   string    `json:"packageName,omitempty"`
	Modules       []string  `json:"modules,omitempty"`
	ProgramFiles  []string  `json:"programFiles,omitempty"`
	DefaultStatus string    `json:"defaultStatus,omitempty"`
	Versions      []Version `json:"versions,omitempty"`
}

// Version is one version or a range of versions with its status.
type Version struct {
	Version         string `json:"version"`
	Status          string `json:"status"`
	VersionType     string `json:"versionType,omitempty"`
	LessThan        string `json:"lessThan,omitempty"`
	LessThanOrEqual string `json:"lessThanOrEqual,omitempty"`
}

// ProblemType is a weakness, such as a CWE.
type ProblemType struct {
	Descriptions []ProblemDescription `json:"descriptions"`
}

// ProblemDescription describes one weakness.
type ProblemDescription struct {
	Lang        string `json:"lang"`
	Description string `json:"description"`
	CWEID       string `json:"cweId,omitempty"`
	Type        string `json:"type,omitempty"`
}

// Metric carries one CVSS score.
type Metric struct {
	Format  string `json:"format,omitempty"`
	CVSSV40 *CVSS  `json:"cvssV4_0,omitempty"`
	CVSSV31 *CVSS  `json:"cvssV3_1,omitempty"`
	CVSSV30 *CVSS  `json:"cvssV3_0,omitempty"`
	CVSSV20 *CVSS  `json:"cvssV2_0,omitempty"`
}

// CVSS is the part of FIRST's CVSS JSON that a record needs.
type CVSS struct {
	Version      string  `json:"version"`
	VectorString string  `json:"vectorString"`
	BaseScore    float64 `json:"baseScore"`
	BaseSeverity string  `json:"baseSeverity,omitempty"`
}

// Reference is a link, with CVE's reference tags.
type Reference struct {
	URL  string   `json:"url"`
	Name string   `json:"name,omitempty"`
	Tags []string `json:"tags,omitempty"`
}

// Credit thanks someone, with CVE's credit type.
type Credit struct {
	Lang  string `json:"lang"`
	Value string `json:"value"`
	Type  string `json:"type,omitempty"`
}
