package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/vmtproject/vmt"
)

// projectCNAGroup is "vmt project cna": a project's CVE Services settings.
var projectCNAGroup = &group{name: "project cna", summary: "show or set the CNA of a project's CVE records (named by CVE JSON 5 exports) and its CVE Services settings"}

func init() {
	projectGroup.add(&command{name: "cna", summary: projectCNAGroup.summary, run: projectCNAGroup.run})
	projectCNAGroup.add(&command{name: "show", summary: "show a project's CVE Services settings", run: projectCNAShow})
	projectCNAGroup.add(&command{name: "set", summary: "set the CNA of a project's CVE records and its CVE Services settings (the key by reference only)", run: projectCNASet})
}

func projectCNAShow(ctx context.Context, e *env, args []string) error {
	const use = "PROJECT [--json]"
	fs := newFlags(e, "project cna show", use)
	var af apiFlags
	af.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, "project cna show "+use); err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	s, err := c.CNASettings(ctx, pos[0])
	if err != nil {
		return err
	}
	return cnaOut(e, &af, s)
}

func cnaOut(e *env, af *apiFlags, s *vmt.CNASettings) error {
	if af.json {
		return emitJSON(e.stdout, s)
	}
	return fields(e.stdout, "Enabled", strconv.FormatBool(s.Enabled), "Short name", firstOf(s.ShortName, "-"),
		"Organisation", firstOf(s.OrgID, "-"), "User", firstOf(s.User, "-"), "API key", firstOf(s.APIKeyRef, "-"),
		"Endpoint", firstOf(s.Endpoint, "-"))
}

func projectCNASet(ctx context.Context, e *env, args []string) error {
	// --disable with only --short-name and --org-id names the CNA for CVE
	// JSON 5 exports of a project whose records a CNA publishes without vmt.
	const use = "PROJECT --short-name ORG --org-id UUID [--user NAME --key env:VAR|file:/path [--endpoint URL] | --disable]"
	fs := newFlags(e, "project cna set", use)
	var af apiFlags
	af.register(fs)
	var in vmt.CNASettings
	fs.StringVar(&in.ShortName, "short-name", "", "the CNA's short name (CVE-API-ORG)")
	fs.StringVar(&in.OrgID, "org-id", "", "the CNA's organisation UUID")
	fs.StringVar(&in.User, "user", "", "the CVE Services user name (CVE-API-USER)")
	fs.StringVar(&in.APIKeyRef, "key", "", "where the server reads the API key: env:VAR or file:/path (never the key)")
	fs.StringVar(&in.Endpoint, "endpoint", "https://cveawg.mitre.org/api", "the API's base URL")
	disable := fs.Bool("disable", false, "do not use CVE Services: the short name and org id only name the CNA in CVE JSON 5 exports")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, "project cna set "+use); err != nil {
		return err
	}
	in.Enabled = !*disable
	c, err := af.client(e)
	if err != nil {
		return err
	}
	s, err := c.SetCNASettings(ctx, pos[0], in)
	if err != nil {
		return err
	}
	if !af.json {
		fmt.Fprintf(e.stdout, "CVE Services settings of %s saved.\n", pos[0])
	}
	return cnaOut(e, &af, s)
}
