package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/vmtproject/vmt"
)

// projectForgeGroup is "vmt project forge": a project's GitHub repository.
var projectForgeGroup = &group{name: "project forge", summary: "show or set the GitHub repository vmt keeps in step with a project (status labels, webhook)"}

func init() {
	projectGroup.add(&command{name: "forge", summary: projectForgeGroup.summary, run: projectForgeGroup.run})
	projectForgeGroup.add(&command{name: "show", summary: "show a project's GitHub repository settings", run: projectForgeShow})
	projectForgeGroup.add(&command{name: "set", summary: "set a project's GitHub repository and credentials, by reference only (administrators)", run: projectForgeSet})
}

func projectForgeShow(ctx context.Context, e *env, args []string) error {
	const use = "PROJECT [--json]"
	fs := newFlags(e, "project forge show", use)
	var af apiFlags
	af.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, "project forge show "+use); err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	s, err := c.ForgeSettings(ctx, pos[0])
	if err != nil {
		return err
	}
	return forgeOut(e, &af, s)
}

func forgeOut(e *env, af *apiFlags, s *vmt.ForgeSettings) error {
	if af.json {
		return emitJSON(e.stdout, s)
	}
	repo := "-"
	if s.Owner != "" {
		repo = s.Repository()
	}
	auth := "-"
	switch {
	case s.TokenRef != "":
		auth = "token " + s.TokenRef
	case s.AppID != 0:
		auth = "GitHub App " + strconv.FormatInt(s.AppID, 10) + ", installation " + strconv.FormatInt(s.InstallationID, 10) + ", key " + s.PrivateKeyRef
	}
	return fields(e.stdout, "Enabled", strconv.FormatBool(s.Enabled), "Repository", repo, "Authentication", auth,
		"Webhook secret", firstOf(s.WebhookSecretRef, "-"), "Endpoint", firstOf(s.Endpoint, "-"))
}

func projectForgeSet(ctx context.Context, e *env, args []string) error {
	const use = "PROJECT --repo OWNER/REPO (--github-token env:VAR|file:/path | --app-id N --installation-id N --key env:VAR|file:/path) [--webhook-secret REF] [--endpoint URL] [--disable]"
	fs := newFlags(e, "project forge set", use)
	var af apiFlags
	af.register(fs)
	var in vmt.ForgeSettings
	repo := fs.String("repo", "", "the repository: OWNER/REPO")
	fs.StringVar(&in.TokenRef, "github-token", "", "where the server reads a fine-grained token: env:VAR or file:/path (never the token)")
	fs.Int64Var(&in.AppID, "app-id", 0, "the GitHub App's id")
	fs.Int64Var(&in.InstallationID, "installation-id", 0, "the App's installation id on the repository")
	fs.StringVar(&in.PrivateKeyRef, "key", "", "where the server reads the App's private key: env:VAR or file:/path")
	fs.StringVar(&in.WebhookSecretRef, "webhook-secret", "", "where the server reads the webhook's secret: env:VAR or file:/path")
	fs.StringVar(&in.Endpoint, "endpoint", "https://api.github.com/", "the REST API's base URL")
	disable := fs.Bool("disable", false, "keep the settings but make no call to GitHub")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, "project forge set "+use); err != nil {
		return err
	}
	if *repo != "" {
		owner, name, ok := cutRepo(*repo)
		if !ok {
			return usagef("--repo must be OWNER/REPO")
		}
		in.Owner, in.Repo = owner, name
	}
	in.Enabled = !*disable
	c, err := af.client(e)
	if err != nil {
		return err
	}
	s, err := c.SetForgeSettings(ctx, pos[0], in)
	if err != nil {
		return err
	}
	if !af.json {
		fmt.Fprintf(e.stdout, "GitHub repository settings of %s saved.\n", pos[0])
	}
	return forgeOut(e, &af, s)
}

func cutRepo(s string) (string, string, bool) {
	for i := range len(s) {
		if s[i] == '/' {
			return s[:i], s[i+1:], i > 0 && i < len(s)-1
		}
	}
	return "", "", false
}
