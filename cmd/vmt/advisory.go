package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/cvss"
)

// advisoryGroup holds the advisory subcommands; each file advisory_*.go
// adds one. export, import, render and cve-form work on files (our
// advisory JSON documents in, exports or imports out; export also from
// the server); draft, list, show, embargo, publish, errata and withdraw
// work on the server's documents, named by record id.
var advisoryGroup = &group{name: "advisory", summary: "draft, publish and export advisories (OSV, CVE JSON 5, CSAF), import OSSA and OSV files"}

func init() { commands = append(commands, advisoryGroup.command()) }

// readAdvisory reads one of our advisory JSON documents strictly (an
// unknown field is an error) and checks it whole, CVSS vectors included.
func readAdvisory(e *env, path string) (*vmt.Advisory, error) {
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
	if err := cvss.Check(&a); err != nil {
		return nil, err
	}
	return &a, nil
}

// writeOutput writes b to the file out, or to standard output when out is
// empty. The file is written whole or not at all: a temporary file is
// renamed into place.
func writeOutput(e *env, out string, b []byte) error {
	if out == "" {
		_, err := e.stdout.Write(b)
		return err
	}
	tmp, err := os.CreateTemp(dirOf(out), ".vmt-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}

func dirOf(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[:i+1]
		}
	}
	return "."
}
