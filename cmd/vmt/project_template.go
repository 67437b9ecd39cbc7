package main

import (
	"context"
	"fmt"
)

// projectTemplateGroup is "vmt project template": a project's own texts.
var projectTemplateGroup = &group{name: "project template", summary: "show, set or reset a project's own template"}

func init() {
	projectGroup.add(&command{name: "template", summary: projectTemplateGroup.summary, run: projectTemplateGroup.run})
	projectTemplateGroup.add(&command{name: "show", summary: "print the text a project uses for a template", run: projectTemplateShow})
	projectTemplateGroup.add(&command{name: "set", summary: "set a project's own text for a template (checked first)", run: projectTemplateSet})
	projectTemplateGroup.add(&command{name: "reset", summary: "go back to the shipped text of a template", run: projectTemplateReset})
	projectTemplateGroup.add(&command{name: "preview", summary: "render a template against a sample report (stores nothing)", run: projectTemplatePreview})
}

func templateArgs(e *env, name, use string, args []string, af *apiFlags, file *string) ([]string, error) {
	fs := newFlags(e, "project template "+name, use)
	af.register(fs)
	if file != nil {
		fs.StringVar(file, "f", "-", "read the template from this file (- for standard input)")
	}
	pos, err := parse(fs, args)
	if err != nil {
		return nil, err
	}
	return pos, wantArgs(pos, 2, "project template "+name+" "+use)
}

func projectTemplateShow(ctx context.Context, e *env, args []string) error {
	var af apiFlags
	pos, err := templateArgs(e, "show", "PROJECT NAME [--json]", args, &af, nil)
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	v, err := c.ProjectTemplate(ctx, pos[0], pos[1])
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, v)
	}
	if !v.Overridden {
		fmt.Fprintf(e.stderr, "vmt: %s uses the shipped %s template\n", v.Project, v.Name)
	}
	_, err = fmt.Fprint(e.stdout, v.Text)
	return err
}

func projectTemplateSet(ctx context.Context, e *env, args []string) error {
	var af apiFlags
	var file string
	pos, err := templateArgs(e, "set", "PROJECT NAME [-f FILE]", args, &af, &file)
	if err != nil {
		return err
	}
	b, err := readFile(e, file, limitTemplate)
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	v, err := c.SetProjectTemplate(ctx, pos[0], pos[1], string(b))
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, v)
	}
	fmt.Fprintf(e.stdout, "%s now uses its own %s template.\n", v.Project, v.Name)
	return nil
}

func projectTemplateReset(ctx context.Context, e *env, args []string) error {
	var af apiFlags
	pos, err := templateArgs(e, "reset", "PROJECT NAME", args, &af, nil)
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	if err := c.ResetProjectTemplate(ctx, pos[0], pos[1]); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s uses the shipped %s template again.\n", pos[0], pos[1])
	return nil
}

func projectTemplatePreview(ctx context.Context, e *env, args []string) error {
	const use = "PROJECT NAME [-f FILE] [--json]\n\n" +
		"Renders the text of FILE (- for standard input; without -f, the text the project uses now)\n" +
		"against a sample report, and stores nothing: what \"set\" would give.\n\n" +
		"example: vmt project template preview kata-containers downstream-notification -f notice.tmpl"
	var af apiFlags
	fs := newFlags(e, "project template preview", use)
	af.register(fs)
	file := fs.String("f", "", "render the template in this file (- for standard input) instead of the one in use")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 2, "project template preview "+use); err != nil {
		return err
	}
	var text string
	if *file != "" {
		b, err := readFile(e, *file, limitTemplate)
		if err != nil {
			return err
		}
		if text = string(b); text == "" {
			return usagef("%s is empty", *file)
		}
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	p, err := c.PreviewProjectTemplate(ctx, pos[0], pos[1], text)
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, p)
	}
	if p.Subject != "" {
		fmt.Fprintf(e.stdout, "Subject: %s\n\n", p.Subject)
	}
	_, err = fmt.Fprint(e.stdout, p.Body)
	return err
}
