package http

import (
	"bytes"
	"crypto/subtle"
	"encoding/base64"
	"html/template"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// The one TOTP profile vmt uses: what every authenticator app reads from
// the enrolment code (RFC 6238 defaults: SHA-1, 6 digits, 30 seconds).
var totpOpts = totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// totpStep is the period of a code, in seconds.
const totpStep = 30

// checkCode returns the time step at which code is right for secret at
// now, allowing one step of clock drift either way. The caller records the
// step so that the code cannot be used again.
func checkCode(secret, code string, now time.Time) (int64, bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != 6 {
		return 0, false
	}
	step := now.Unix() / totpStep
	for _, d := range []int64{0, -1, 1} {
		st := step + d
		want, err := totp.GenerateCodeCustom(secret, time.Unix(st*totpStep, 0), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return st, true
		}
	}
	return 0, false
}

// newTOTPKey makes a fresh secret for account, as an otpauth:// URL.
func newTOTPKey(account string) (*otp.Key, error) {
	return totp.Generate(totp.GenerateOpts{Issuer: "vmt", AccountName: account, Period: totpStep,
		Digits: totpOpts.Digits, Algorithm: totpOpts.Algorithm})
}

// qrDataURI draws key as a QR code in a data: URI, so that the secret is
// never fetched from a second URL.
func qrDataURI(key *otp.Key) (template.URL, error) {
	img, err := key.Image(240, 240)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", err
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())), nil
}
