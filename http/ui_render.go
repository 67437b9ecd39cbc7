package http

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
)

//go:embed html/templates/*.html html/static/*
var htmlFS embed.FS

// pageNames are the pages the handlers render. Each must exist as
// html/templates/NAME.html; parseTemplates fails at start-up otherwise.
var pageNames = []string{"home", "login", "login_code", "account_2fa", "account", "account_email", "report_new", "reports", "report", "error", "advisories", "advisory", "report_access", "report_notice_preview", "welcome", "inbox", "policy", "intake",
	"admin_outbox", "admin_audit", "admin_templates"}

// parseTemplates parses the layout with each page. A missing or broken
// template is a bug of the build, so it stops the server from starting.
func parseTemplates() (map[string]*template.Template, error) {
	base, err := template.New("layout.html").Funcs(templateFuncs).ParseFS(htmlFS, "html/templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("http: layout template: %w", err)
	}
	out := make(map[string]*template.Template, len(pageNames))
	for _, name := range pageNames {
		// part_*.html are sections that pages include by name (a page's
		// own file stays short); they define no "content".
		t, err := template.Must(base.Clone()).ParseFS(htmlFS, "html/templates/"+name+".html", "html/templates/part_*.html")
		if err != nil {
			return nil, fmt.Errorf("http: page template %s: %w", name, err)
		}
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("http: page template %s defines no \"content\"", name)
		}
		out[name] = t
	}
	return out, nil
}

var templateFuncs = template.FuncMap{
	"statusLabel": func(s vmt.Status) string { return s.Label() },
	"utc":         func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
	"iso":         func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"id":          func(n int64) string { return strconv.FormatInt(n, 10) },
	"join":        strings.Join,
	"short":       short,
	"lower":       strings.ToLower,
	"bytes":       byteSize,
	"outboxKind":  outboxKind,
	"inc":         func(i int) int { return i + 1 },
	// title is a rating as a reader says it: "High" for HIGH.
	"title": func(s string) string {
		if s == "" {
			return ""
		}
		return strings.ToUpper(s[:1]) + strings.ToLower(s[1:])
	},
}

// byteSize is a file's size as a reader says it: 512 B, 3.4 KiB, 2.0 MiB.
func byteSize(n int64) string {
	switch {
	case n < 1024:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1<<20:
		return strconv.FormatFloat(float64(n)/1024, 'f', 1, 64) + " KiB"
	}
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
}

// short cuts s to a few hundred characters, for the audit timeline, whose
// snapshots can hold a whole description.
func short(s string) string {
	const max = 300
	if r := []rune(s); len(r) > max {
		return string(r[:max]) + "…"
	}
	return s
}

// view is what every page gets: who is looking, the messages left for
// them, and the page's own data.
type view struct {
	Title      string
	Actor      vmt.Actor
	Flash      string
	FlashError string
	Search     string
	Page       any
}

// Staff reports whether the viewer runs the process (the dashboard link).
func (v *view) Staff() bool {
	return v.Actor.User != nil && (v.Actor.User.Role == vmt.RoleAdmin || v.Actor.User.Role == vmt.RoleVMT)
}

// SecondFactorOffered reports whether the viewer may add a second factor
// (the link to the two-factor page).
func (v *view) SecondFactorOffered() bool {
	return v.Actor.User != nil && vmt.SecondFactorOffered(v.Actor.User.Role)
}

// render writes page name with data, with the status given. The page is
// rendered to a buffer first, so that a template error becomes a 500
// instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) error {
	t, ok := s.ui.pages[name]
	if !ok {
		return fmt.Errorf("http: no page %q", name)
	}
	m := s.ui.sessions.manager(r)
	v := &view{Title: title, Actor: actorFrom(r.Context()), Page: data,
		Flash: m.PopString(r.Context(), keyFlash), FlashError: m.PopString(r.Context(), keyError)}
	b, err := executePage(t, name, v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err = w.Write(b)
	return err
}

// executePage is the one way a page is written, private or public: the
// layout with v, and every invisible character of it made visible
// (showInvisible).
func executePage(t *template.Template, name string, v *view) ([]byte, error) {
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		return nil, fmt.Errorf("http: render %s: %w", name, err)
	}
	return showInvisible(buf.Bytes()), nil
}

// errorPage is the data of the error page.
type errorPage struct {
	Status  int
	Message string
	SignIn  bool
}

// renderError is the one place where a page's error becomes an answer. A
// report the viewer may not see is the same 404 as a missing one.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	code := vmt.ErrorCode(err)
	if code == vmt.EUNAUTHENTICATED && r.Method == http.MethodGet {
		http.Redirect(w, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	msg := vmt.ErrorMessage(err)
	if status == http.StatusInternalServerError {
		s.log.ErrorContext(r.Context(), "page failed", slog.String("path", r.URL.Path), slog.Any("err", err))
		msg = "Something went wrong on our side. It has been logged."
	}
	if f := vmt.ErrorField(err); f != "" {
		msg = f + ": " + msg
	}
	title := http.StatusText(status)
	if rerr := s.render(w, r, status, "error", title, errorPage{Status: status, Message: msg, SignIn: code == vmt.EUNAUTHENTICATED}); rerr != nil {
		s.log.ErrorContext(r.Context(), "error page failed", slog.Any("err", rerr))
		http.Error(w, title, status)
	}
}

// staticFiles serves the embedded CSS and JavaScript.
func staticFiles() http.Handler {
	sub, err := fs.Sub(htmlFS, "html/static")
	if err != nil {
		panic(err) // the embed pattern names the directory
	}
	return staticHandler(sub)
}

// staticHandler serves the files of fsys under /static/, and nothing else:
// a directory, the root included, is 404 (http.FileServer would list it,
// showing what the build holds and where).
func staticHandler(fsys fs.FS) http.Handler {
	fsrv := http.StripPrefix("/static/", http.FileServerFS(filesOnly{fsys}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		fsrv.ServeHTTP(w, r)
	})
}

// filesOnly is a file system whose directories do not exist: Open of a
// directory is fs.ErrNotExist, which http.FileServer answers 404, whatever
// the path that leads to it ("/static/", "/static/css/", "/static/./").
type filesOnly struct{ fs.FS }

// Open opens name if it is a regular file.
func (f filesOnly) Open(name string) (fs.File, error) {
	file, err := f.FS.Open(name)
	if err != nil {
		return nil, err
	}
	info, err := file.Stat()
	if err != nil || !info.Mode().IsRegular() {
		file.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return file, nil
}
