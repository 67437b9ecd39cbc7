package http

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/osv"
)

// The OSV data source: what OSV.dev's importer (its REST data source) and
// any OSV consumer read.
//
//	/osv/all.json          [{"id": …, "modified": …}], every public document
//	/osv/<ID>.json         the OSV record of one, under the base URL /osv/
//	/osv/all.zip           every record as <ID>.json, as OSV.dev's own all.zip
//	/osv/modified_id.csv   "modified,id" lines, newest first, as its buckets
//
// Like the other public pages they are made from PublishedAdvisories and
// PublishedAdvisory, which return published and withdrawn documents only
// and take no actor: a draft or an embargoed document is in none of them,
// whoever asks. A withdrawn document stays, with its withdrawn time, so
// that a consumer that imported it learns of the withdrawal.

// osvEntry is one line of the index.
type osvEntry struct {
	ID       string `json:"id"`
	Modified string `json:"modified"`
}

// osvRecord is one document's OSV record and when it last changed.
type osvRecord struct {
	id       string
	modified time.Time
	// stamp is modified as the record writes it: the index repeats it
	// character for character, since the importer compares the two.
	stamp string
	body  []byte
}

func (s *Server) osvFeed(w http.ResponseWriter, r *http.Request) error {
	file := r.PathValue("file")
	switch file {
	case "all.json", "all.zip", "modified_id.csv":
		recs, latest, err := s.osvRecords(r)
		if err != nil {
			return err
		}
		body, ctype, err := osvFile(file, recs)
		if err != nil {
			return err
		}
		return servePublic(w, r, ctype, latest, body)
	}
	id, ok := strings.CutSuffix(file, ".json")
	if !ok {
		return vmt.NotFound("OSV record")
	}
	d, _, err := s.svc.PublishedAdvisory(r.Context(), id)
	if err != nil {
		return err
	}
	rec, err := osvRecordOf(d)
	if err != nil {
		return err
	}
	return servePublic(w, r, "application/json", rec.modified, rec.body)
}

// osvRecords exports every public document. A document whose record
// cannot be written (an imported one with a vector the scorer refuses) is
// logged and left out of every file, so that the index never lists an id
// whose URL fails.
func (s *Server) osvRecords(r *http.Request) ([]osvRecord, time.Time, error) {
	ds, _, err := s.svc.PublishedAdvisories(r.Context(), "")
	if err != nil {
		return nil, time.Time{}, err
	}
	var out []osvRecord
	var latest time.Time
	for _, d := range ds {
		rec, err := osvRecordOf(d)
		if err != nil {
			s.log.WarnContext(r.Context(), "osv feed: a document has no OSV record", "id", d.ID.String(), "err", err)
			continue
		}
		out = append(out, rec)
		if rec.modified.After(latest) {
			latest = rec.modified
		}
	}
	// Newest first, then by id: the order of modified_id.csv, and one
	// order for every file.
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].modified.Equal(out[j].modified) {
			return out[i].modified.After(out[j].modified)
		}
		return out[i].id < out[j].id
	})
	return out, latest, nil
}

func osvRecordOf(d *vmt.Advisory) (osvRecord, error) {
	if !d.Public() {
		// PublishedAdvisories returns public documents only; this holds
		// whatever changes there.
		return osvRecord{}, vmt.NotFound("OSV record")
	}
	b, err := osv.Export(d)
	if err != nil {
		return osvRecord{}, err
	}
	var head struct{ Modified string }
	if err := json.Unmarshal(b, &head); err != nil {
		return osvRecord{}, fmt.Errorf("osv record %s: %w", d.ID, err)
	}
	mod, err := time.Parse(time.RFC3339Nano, head.Modified)
	if err != nil {
		return osvRecord{}, fmt.Errorf("osv record %s: modified: %w", d.ID, err)
	}
	return osvRecord{id: d.ID.String(), modified: mod, stamp: head.Modified, body: b}, nil
}

// osvFile writes one of the files that list every record.
func osvFile(name string, recs []osvRecord) ([]byte, string, error) {
	switch name {
	case "all.json":
		idx := make([]osvEntry, len(recs))
		for i, rec := range recs {
			idx[i] = osvEntry{ID: rec.id, Modified: rec.stamp}
		}
		b, err := json.MarshalIndent(idx, "", "  ")
		if err != nil {
			return nil, "", fmt.Errorf("osv index: %w", err)
		}
		return append(b, '\n'), "application/json", nil
	case "modified_id.csv":
		var b bytes.Buffer
		for _, rec := range recs {
			fmt.Fprintf(&b, "%s,%s\n", rec.stamp, rec.id)
		}
		return b.Bytes(), "text/csv; charset=utf-8", nil
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, rec := range recs {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: rec.id + ".json", Method: zip.Deflate, Modified: rec.modified})
		if err != nil {
			return nil, "", fmt.Errorf("osv all.zip: %w", err)
		}
		if _, err := f.Write(rec.body); err != nil {
			return nil, "", fmt.Errorf("osv all.zip: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, "", fmt.Errorf("osv all.zip: %w", err)
	}
	return b.Bytes(), "application/zip", nil
}
