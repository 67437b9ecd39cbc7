package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	nethttp "net/http"
	"slices"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/cveservices"
	"github.com/vmtproject/vmt/cvss"
	"github.com/vmtproject/vmt/github"
	vmthttp "github.com/vmtproject/vmt/http"
	"github.com/vmtproject/vmt/password"
	"github.com/vmtproject/vmt/render"
)

func init() {
	commands = append(commands, &command{name: "serve", summary: "run the web UI, the JSON API and the worker", run: serve})
}

func serve(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", "[--data DIR | --database URL] [--listen ADDR]")
	var sf storeFlags
	sf.register(fs)
	var gf gitFlags
	gf.register(fs)
	var mf mailFlags
	mf.register(fs)
	var sd shutdownFlags
	sd.register(fs)
	listen := fs.String("listen", "127.0.0.1:8080", "address to listen on")
	adminEmail := fs.String("admin-email", "admin@localhost", "email of the first administrator, on first start")
	demoSeed := fs.Bool("demo", false, "seed an empty store with a demo project, its users and reports, and print their sign-ins")
	cveAllowPrivate := fs.Bool("cve-services-allow-private", false, "let the CVE Services client call endpoints on this host and private networks (a local CVE Services); refused by default, since a project's VMT sets the endpoint")
	secureCookies := fs.Bool("secure-cookies", false, "mark the session cookie Secure (__Host-) even without TLS here: behind a proxy that ends TLS")
	forgePoll := fs.Duration("forge-poll", 5*time.Minute, "how often the GitHub repositories of the projects that set one (vmt project forge) are read for private vulnerability reports")
	perDay := fs.Int("reports-per-day", vmt.DefaultReportsPerDay, "the most reports one reporter files in a day, in every project together (a project's members and administrators are not bounded); 0: no bound")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *perDay < 0 {
		return usagef("--reports-per-day must be 0 (no bound) or more, not %d", *perDay)
	}
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	st, err := sf.open(ctx, e, log)
	if err != nil {
		return err
	}
	defer st.Close()
	deps := app.Deps{
		Store:         st,
		Hasher:        password.Hasher{P: password.Default},
		Now:           time.Now,
		Log:           log,
		CheckAdvisory: cvss.Check,     // the CVSS vectors of advisories, which the domain keeps as strings
		Texts:         render.Hooks(), // project templates and the impact description's draft
		// Reserving and publishing for projects that are a CNA.
		CVE: &cveservices.Client{AllowPrivate: *cveAllowPrivate},
		// The projects' GitHub repositories, for those that set one up.
		Forge:         &github.Forge{},
		ReportsPerDay: *perDay,
	}
	svc, worker, err := wire(e, deps, &gf, &mf, sf.data, *listen)
	if err != nil {
		return err
	}
	if worker.Grace, err = sd.grace(); err != nil { // its send in flight has the stop's bound too
		return err
	}
	gf.track(ctx, svc, log)
	// Items of the other kinds wait for an instance that delivers them:
	// say which this one does, so that a missing option shows at start.
	log.Info("outbox kinds delivered by this instance", "kinds", strings.Join(worker.Kinds(), ","))
	// The worker stops with the server, and the store closes after it.
	wctx, stopWorker := context.WithCancel(ctx)
	workerDone := runWorker(wctx, worker)
	intakeDone := mf.runIntake(wctx, e, svc, log)
	forgeDone := runForgeIntake(wctx, svc, log, *forgePoll)
	defer func() { stopWorker(); <-workerDone; <-intakeDone; <-forgeDone }()
	if *demoSeed {
		if err := seedDemo(ctx, e.stdout, svc, *adminEmail); err != nil {
			return err
		}
	}
	if err := firstRun(ctx, e, svc, *adminEmail, *listen); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	// The link names the site's URL, else the address just bound (a
	// --listen of port 0 or of every interface is no address to open).
	site := mf.siteURL
	if site == "" {
		site = "http://" + ln.Addr().String()
	}
	if err := firstSignInLink(ctx, e, svc, log, site); err != nil {
		ln.Close()
		return err
	}
	h := vmthttp.NewServer(svc, log)
	h.SetSecureCookies(*secureCookies)
	go h.CleanSessions(ctx, 10*time.Minute)
	reqs := trackRequests(h)
	srv := &nethttp.Server{
		Handler:           reqs,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(e.stdout, "vmt: listening on http://%s\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	return sd.shutdown(log, srv, reqs, errc, workerDone)
}

// firstRun sets up an empty store: an administrator with an API token and a
// first project, and prints how to sign in. VMT_ADMIN_TOKEN, when set, is
// the token, so that scripts need not read the output.
func firstRun(ctx context.Context, e *env, svc *app.Service, email, listen string) error {
	given := e.getenv("VMT_ADMIN_TOKEN")
	secret, err := svc.Bootstrap(ctx, vmt.BootstrapInput{
		AdminEmail: email,
		AdminToken: given,
		Project: vmt.Project{Name: "kata-containers", AdvisoryPrefix: "KCSA", NotePrefix: "KCSN",
			Branches: slices.Clone(vmt.DefaultBranches)},
	})
	if err != nil || secret == "" {
		return err
	}
	fmt.Fprintf(e.stdout, "vmt: first start: created the administrator %s and the project kata-containers.\n", email)
	if given != "" {
		fmt.Fprintln(e.stdout, "vmt: the administrator's API token is the value of VMT_ADMIN_TOKEN.")
		secret = "$VMT_ADMIN_TOKEN"
	} else {
		fmt.Fprintln(e.stdout, "vmt: the administrator's API token is shown this once; keep it safe:")
		fmt.Fprintf(e.stdout, "\n    %s\n\n", secret)
	}
	fmt.Fprintf(e.stdout, "vmt: sign in with:  vmt login --server http://%s --token %s\n", listen, secret)
	return nil
}

// firstSignInLink prints a one-time link for the administrator while no
// administrator can sign in to the pages (the first one has a token and
// no password): on stderr and in the log, which only the operator reads.
// Each start makes a new link and ends the one before; once a password
// is set, nothing is printed.
func firstSignInLink(ctx context.Context, e *env, svc *app.Service, log *slog.Logger, site string) error {
	secret, u, err := svc.FirstSignInLink(ctx)
	if err != nil || secret == "" {
		return err
	}
	link := vmt.AccountLinkURL(site, secret)
	expires := time.Now().Add(vmt.AccountLinkTTL).UTC().Format("2006-01-02 15:04 UTC")
	fmt.Fprintf(e.stderr, "vmt: no administrator can sign in to the pages yet. Open this link, once, before %s,\n", expires)
	fmt.Fprintf(e.stderr, "vmt: to set the password of %s:\n\n    %s\n\n", u.Email, link)
	log.Warn("one-time sign-in link for the administrator", "user", u.Email, "link", link, "expires", expires)
	return nil
}
