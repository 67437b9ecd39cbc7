package pgpmail

import (
	"bytes"
	"io"
	"testing"

	"github.com/emersion/go-message"
)

// Unsigned is one text/plain entity with the message's header, its text
// intact through quoted-printable; a message with attachments is refused,
// since patches only ever travel signed.
func TestUnsigned(t *testing.T) {
	m := notice()
	if out, err := Unsigned(m); err == nil || out != nil {
		t.Errorf("unsigned with attachments: %v (%d bytes)", err, len(out))
	}
	m.Attachments = nil
	out, err := Unsigned(m)
	if err != nil {
		t.Fatal(err)
	}
	e, err := message.Read(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if ct, params, _ := e.Header.ContentType(); ct != "text/plain" || params["charset"] != "utf-8" {
		t.Errorf("Content-Type %s %v", ct, params)
	}
	if e.Header.Get("Message-Id") != m.MessageID || e.Header.Get("Subject") != m.Subject || e.Header.Get("Mime-Version") != "1.0" {
		t.Errorf("header:\n%s", out)
	}
	got, err := io.ReadAll(e.Body)
	if err != nil {
		t.Fatal(err)
	}
	if want := bytes.ReplaceAll([]byte(body), []byte("\n"), []byte("\r\n")); !bytes.Equal(got, want) {
		t.Errorf("body:\n%q\nwant\n%q", got, want)
	}
	if bytes.Contains(out, []byte("PGP")) {
		t.Errorf("an unsigned mail mentions PGP:\n%s", out)
	}
}
