package main

import (
	"fmt"
	"io"
	"os"

	"github.com/vmtproject/vmt"
	vmthttp "github.com/vmtproject/vmt/http"
)

// fileLimit is the most a file flag may carry, and whose limit it is: the
// server's own, so that the CLI refuses what the server would, before
// reading (or sending) more, and a flag given /dev/zero ends at once.
type fileLimit struct {
	max  int
	what string // "the server's limit for a description"
}

// The limits of what the file flags carry, each the domain's constant
// that the server applies to the same field.
var (
	limitDescription = fileLimit{vmt.MaxDescriptionBytes, "the server's limit for a description"}
	limitImpact      = fileLimit{vmt.MaxImpactBytes, "the server's limit for an impact description"}
	limitComment     = fileLimit{vmt.MaxCommentBytes, "the server's limit for a comment"}
	limitSeries      = fileLimit{vmt.MaxFixSeriesBytes, "the server's limit for a patch series"}
	limitTemplate    = fileLimit{vmt.MaxTemplateBytes, "the server's limit for a template"}
	limitKey         = fileLimit{vmt.MaxPublicKeyBytes, "the server's limit for an OpenPGP key"}
	limitPolicyText  = fileLimit{vmt.MaxPolicyTextLen, "the server's limit for a disclosure policy text"}
	// An advisory document, or a file imported as one, travels in one
	// JSON request body.
	limitDocument = fileLimit{vmthttp.MaxBodyBytes, "the server's limit for a request body"}
	// The CLI's own configuration holds a URL and a token.
	limitConfig = fileLimit{64 << 10, "the limit for the CLI's configuration"}
)

// readFile reads path, or standard input for "-", and refuses one larger
// than lim: it never reads more than lim.max+1 bytes, whatever the file
// is (a device, a pipe, a file still growing).
func readFile(e *env, path string, lim fileLimit) ([]byte, error) {
	var r io.Reader = e.stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, int64(lim.max)+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(b) > lim.max {
		return nil, fmt.Errorf("%s: larger than %d bytes (%s)", path, lim.max, lim.what)
	}
	return b, nil
}
