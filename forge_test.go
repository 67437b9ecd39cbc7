package vmt

import (
	"slices"
	"testing"
)

func TestForgeSettingsValidate(t *testing.T) {
	app := ForgeSettings{Enabled: true, Owner: "kata-containers", Repo: "kata-containers", AppID: 1, InstallationID: 2,
		PrivateKeyRef: "file:/etc/vmt/app.pem", WebhookSecretRef: "env:HOOK", Endpoint: "https://api.github.com/"}
	tok := ForgeSettings{Enabled: true, Owner: "o", Repo: "r", TokenRef: "env:GH_TOKEN", Endpoint: "http://127.0.0.1:8080/"}
	for _, ok := range []ForgeSettings{app, tok, {}, {Owner: "o"}} {
		if err := ok.Validate(); err != nil {
			t.Errorf("%+v: %v", ok, err)
		}
	}
	bad := map[string]func(f *ForgeSettings){
		"token_ref":          func(f *ForgeSettings) { f.TokenRef = "github_pat_11AAAA" },
		"private_key_ref":    func(f *ForgeSettings) { f.PrivateKeyRef = "-----BEGIN RSA PRIVATE KEY-----" },
		"webhook_secret_ref": func(f *ForgeSettings) { f.WebhookSecretRef = "file:relative" },
		"owner":              func(f *ForgeSettings) { f.Owner = "a/b" },
		"repo":               func(f *ForgeSettings) { f.Repo = ".." },
		"endpoint":           func(f *ForgeSettings) { f.Endpoint = "http://api.example.org/" },
		"app_id":             func(f *ForgeSettings) { f.InstallationID = 0 },
	}
	for field, change := range bad {
		f := app
		change(&f)
		if err := f.Validate(); err == nil || err.(*Error).Field != field {
			t.Errorf("%s: %v, want an error on %s", field, err, field)
		}
	}
	both := app
	both.TokenRef = "env:GH"
	if err := both.Validate(); err == nil {
		t.Error("an App and a token together")
	}
	none := tok
	none.TokenRef = ""
	if err := none.Validate(); err == nil {
		t.Error("enabled without credentials")
	}
}

func TestStatusLabels(t *testing.T) {
	ls := StatusLabels()
	if len(ls) != len(Statuses) {
		t.Fatalf("%d labels", len(ls))
	}
	for i, l := range ls {
		if st, ok := StatusOfLabel(l.Name); !ok || st != Statuses[i].Status || len(l.Color) != 6 {
			t.Errorf("label %+v names %q", l, st)
		}
	}
	if st, ok := StatusOfLabel("won't fix"); !ok || st != StatusWontFix {
		t.Errorf("labels are compared without case: %q %v", st, ok)
	}
	if _, ok := StatusOfLabel("bug"); ok {
		t.Error("bug is a status")
	}
	got := WithStatusLabel([]string{"bug", "New", "area/runtime", "confirmed"}, StatusTriaged)
	if !slices.Equal(got, []string{"bug", "area/runtime", "Triaged"}) {
		t.Errorf("WithStatusLabel = %v", got)
	}
	if !SameLabels([]string{"B", "a"}, []string{"a", "b"}) || SameLabels([]string{"a"}, []string{"a", "b"}) {
		t.Error("SameLabels")
	}
}
