package main

import (
	"context"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/render"
)

func init() {
	advisoryGroup.add(&command{name: "render", summary: "render an advisory document as its KCSA or KCSN, or its impact description", run: advisoryRender})
}

const renderUsage = "advisory render [--as document|impact] [--team NAME] [--template-file FILE] ADVISORY.json"

// advisoryRender prints the subject and the body of the advisory (KCSA)
// or note (KCSN) a document is, or its impact description. A project's
// own template can be tried with --template-file; it is checked as the
// server would check it.
func advisoryRender(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "advisory render", "[--as document|impact] [--team NAME] [--template-file FILE] ADVISORY.json")
	as := fs.String("as", "document", "document (the KCSA or KCSN) or impact (the impact description)")
	team := fs.String("team", "", "who signs the advisory (default: VENDOR Vulnerability Management Team)")
	tmplFile := fs.String("template-file", "", "render with this template text instead of the default")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, renderUsage); err != nil {
		return err
	}
	a, err := readAdvisory(e, pos[0])
	if err != nil {
		return err
	}
	name, data, err := renderData(a, *as, *team)
	if err != nil {
		return err
	}
	overrides := map[render.Name]string{}
	if *tmplFile != "" {
		b, err := readFile(e, *tmplFile, limitTemplate)
		if err != nil {
			return err
		}
		overrides[name] = string(b)
	}
	set, err := render.NewSet(overrides)
	if err != nil {
		return vmt.Invalid("template-file", "%v", err)
	}
	d, err := set.Render(name, data)
	if err != nil {
		return vmt.Invalid("document", "%v", err)
	}
	if d.Subject != "" {
		if err := writeOutput(e, "", []byte("Subject: "+d.Subject+"\n\n")); err != nil {
			return err
		}
	}
	return writeOutput(e, "", []byte(d.Body))
}

func renderData(a *vmt.Advisory, as, team string) (render.Name, any, error) {
	if team == "" {
		team = a.Vendor + " Vulnerability Management Team"
	}
	switch {
	case as == "impact":
		return render.ImpactDescription, render.ImpactFrom(a), nil
	case as != "document":
		return "", nil, usagef("--as must be document or impact, not %q", as)
	case a.Kind == vmt.KindNote:
		return render.NoteDoc, render.NoteFrom(a, render.NoteLinks{}), nil
	}
	d, err := render.AdvisoryFrom(a, team)
	return render.AdvisoryDoc, d, err
}
