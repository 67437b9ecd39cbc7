package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"

	"github.com/vmtproject/vmt"
)

func init() {
	advisoryGroup.add(&command{name: "draft", summary: "store an advisory document as the draft of a report (on the server)", run: advisoryDraft})
}

func advisoryDraft(ctx context.Context, e *env, args []string) error {
	const use = "REPORT ADVISORY.json"
	var af apiFlags
	fs := advisoryFlags(e, "draft", use, &af)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 2, "advisory draft "+use); err != nil {
		return err
	}
	report, err := parseID("report", pos[0])
	if err != nil {
		return err
	}
	doc, err := readDocument(e, pos[1])
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	d, err := c.DraftAdvisory(ctx, report, *doc)
	if err != nil {
		return err
	}
	return advisoryOut(e, &af, d)
}

// readDocument reads the text of a document to send to the server
// strictly (an unknown field is an error); the server checks it whole and
// sets its kind, state, id and dates.
func readDocument(e *env, path string) (*vmt.Advisory, error) {
	b, err := readFile(e, path, limitDocument)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var a vmt.Advisory
	if err := dec.Decode(&a); err != nil {
		var ve *vmt.Error
		if errors.As(err, &ve) {
			return nil, ve
		}
		return nil, vmt.Invalid(path, "is not an advisory document: %v", err)
	}
	return &a, nil
}
