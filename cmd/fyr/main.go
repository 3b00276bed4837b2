// Command fyr is Fyr's one binary: `fyr serve` runs the server; the other
// subcommands are operator tools.
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"fyr/internal/app"
	"fyr/internal/auth"
	"fyr/internal/channel"
	"fyr/internal/demo"
	dispatchui "fyr/internal/dispatch/ui"
	"fyr/internal/event"
	"fyr/internal/fail"
	"fyr/internal/pages"
	"fyr/internal/store"
	"fyr/internal/web"
)

const usage = `fyr – crisis management for a healthcare region

Usage:
  fyr serve  [--data DIR] [--listen ADDR] [--org ID] [--demo] [--tls-cert FILE --tls-key FILE]
  fyr verify --data DIR | --file BACKUP
  fyr restore --file BACKUP --data NEWDIR
  fyr user add --data DIR --username NAME --name "Full Name" --role admin|staff|unit|viewer [--function F]
  fyr user list|disable|enable|passwd --data DIR [--username NAME]
  fyr user change --data DIR --username NAME --role ROLE [--function F] [--unit UNIT]
  fyr import units FILE [people FILE] --data DIR   (CSV; all or nothing; prints every bad row)
  fyr import registry components FILE [dependencies FILE] [routines FILE] --data DIR   (the continuity registry)
  fyr export units|people --data DIR [--sep ';']  (CSV to stdout)

Environment: FYR_DATA, FYR_LISTEN, FYR_ORG, FYR_TLS_CERT, FYR_TLS_KEY, FYR_ADMIN_PASSWORD, FYR_PASSWORD (for user add/passwd).
`

func main() {
	code := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)
	os.Exit(code)
}

// Exit codes: 0 ok, 1 failure, 2 usage, 3 the chain does not verify.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = serve(ctx, args[1:], stdout, stderr)
	case "verify":
		return verify(ctx, args[1:], stdout, stderr)
	case "user":
		err = user(ctx, args[1:], stdout)
	case "restore":
		err = restore(ctx, args[1:], stdout, stderr)
	case "import":
		if len(args) > 1 && args[1] == "registry" {
			return importRegistry(ctx, args[2:], stdout, stderr)
		}
		return importDirectory(ctx, args[1:], stdout, stderr)
	case "export":
		return exportDirectory(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "fyr: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "fyr %s: %v\n", args[0], err)
		if errors.Is(err, flag.ErrHelp) {
			return 2
		}
		return 1
	}
	return 0
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", env("FYR_DATA", "fyr-data"), "data directory (event log, session key)")
	listen := fs.String("listen", env("FYR_LISTEN", "127.0.0.1:8080"), "address to listen on (use 0.0.0.0:8080 to serve the network)")
	org := fs.String("org", env("FYR_ORG", ""), "organisation id (default: the one in the data directory; region, or exempel with --demo, for a new one)")
	withDemo := fs.Bool("demo", false, "seed the demo organisation Region Exempel on first start")
	proxies := fs.String("trusted-proxies", env("FYR_TRUSTED_PROXIES", ""), "reverse proxies (CIDRs, comma-separated) whose X-Forwarded-For is believed")
	tlsCert := fs.String("tls-cert", env("FYR_TLS_CERT", ""), "serve HTTPS with this certificate (PEM; may name IP addresses)")
	tlsKey := fs.String("tls-key", env("FYR_TLS_KEY", ""), "the certificate's private key (PEM)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	tlsConfig, err := loadTLS(*tlsCert, *tlsKey)
	if err != nil {
		return err
	}
	defaultOrg := "region"
	if *withDemo {
		defaultOrg = "exempel"
	}
	logger := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	started := time.Now()
	svc, err := app.Open(ctx, app.Config{Dir: *data, Org: *org, DefaultOrg: defaultOrg, Logger: logger})
	if err != nil {
		return err
	}
	defer svc.Close()
	*org = svc.Org
	logger.Info("log replayed", "seq", svc.Seq(), "took_ms", time.Since(started).Milliseconds())

	var firstLogin string
	if svc.Auth.Empty() {
		if firstLogin, err = firstStart(ctx, svc, *withDemo); err != nil {
			return err
		}
	}
	srv, err := web.New(svc, logger, pages.Modules(svc)...)
	if err != nil {
		return err
	}
	if err := srv.SetTrustedProxies(*proxies); err != nil {
		return fmt.Errorf("--trusted-proxies: %w", err)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *listen, err)
	}
	scheme := "http"
	if tlsConfig != nil {
		// Secure cookies and HSTS: the browser never sends the session in clear.
		srv.Secure, scheme = true, "https"
		ln = tls.NewListener(ln, tlsConfig)
	}
	httpSrv := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	if key := os.Getenv("FYR_HOOK_KEY"); key != "" {
		srv.EnableHooks(key)
	}
	if secret := os.Getenv("FYR_WEBHOOK_SECRET"); secret != "" {
		srv.EnableWebhookReceipts([]byte(secret))
	}
	// The dispatch engine: in-app always, e-mail and SMS when configured.
	// Receipt links point at FYR_PUBLIC_URL: the address units can reach,
	// by IP when DNS is down.
	publicURL := strings.TrimRight(env("FYR_PUBLIC_URL", scheme+"://"+ln.Addr().String()), "/")
	health := channel.NewHealth(nil)
	trs, senders, err := transports(os.Getenv, publicURL, health, logger)
	if err != nil {
		return err
	}
	chans := dispatchui.Channels{Health: health, Senders: senders}
	srv.Configure(dispatchui.ChannelsSetting, chans)
	if every := os.Getenv("FYR_CHANNEL_TEST_EVERY"); every != "" {
		d, err := time.ParseDuration(every)
		if err != nil || d < time.Minute {
			return fmt.Errorf("FYR_CHANNEL_TEST_EVERY: %q is not a duration of a minute or more (e.g. 6h)", every)
		}
		go scheduledTests(ctx, chans, d, map[string]string{"email": os.Getenv("FYR_TEST_EMAIL"), "sms": os.Getenv("FYR_TEST_MOBILE"),
			"webhook": os.Getenv("FYR_TEST_WEBHOOK")}, logger)
	}
	interval := 15 * time.Second
	if v := os.Getenv("FYR_ENGINE_INTERVAL"); v != "" {
		if interval, err = time.ParseDuration(v); err != nil || interval <= 0 {
			return fmt.Errorf("FYR_ENGINE_INTERVAL: %q is not a positive duration", v)
		}
	}
	eng := svc.NewEngine(trs, publicURL)
	// With two SMS gateways and their delivery reports, an SMS not reported
	// delivered within the window goes once more through the other.
	if os.Getenv("FYR_SMS_URL") != "" && os.Getenv("FYR_SMS2_URL") != "" && os.Getenv("FYR_HOOK_KEY") != "" {
		window := 3 * time.Minute
		if v := os.Getenv("FYR_SMS_REPORT_WINDOW"); v != "" {
			if window, err = time.ParseDuration(v); err != nil || window < 30*time.Second {
				return fmt.Errorf("FYR_SMS_REPORT_WINDOW: %q is not a duration of 30s or more (e.g. 3m)", v)
			}
		}
		eng.FailOverAfter(window)
	}
	go eng.Run(ctx, interval)
	go svc.Situation.RunReminders(ctx, interval) // reporting rounds: a reminder to the units missing at the deadline
	channels := []string{"inapp"}
	for ch := range trs {
		channels = append(channels, ch)
	}
	logger.Info("dispatch engine started", "channels", channels, "public_url", publicURL)
	fmt.Fprintf(stdout, "Fyr is serving %s://%s/ (data: %s, org: %s)\n", scheme, ln.Addr(), *data, *org)
	if firstLogin != "" {
		fmt.Fprint(stdout, firstLogin)
	}
	errc := make(chan error, 1)
	go func() { errc <- httpSrv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	stop() // a second SIGTERM ends the process at once
	signalled := time.Now()
	logger.Info("shutting down")
	disarm := armShutdownDeadline(logger, signalled)
	sctx, cancel := context.WithTimeout(context.Background(), httpGrace)
	defer cancel()
	// SSE connections never finish on their own: close them after the grace period.
	if err := httpSrv.Shutdown(sctx); err != nil {
		httpSrv.Close()
	}
	svc.Close()
	disarm()
	logger.Info("stopped", "took_ms", time.Since(signalled).Milliseconds())
	return nil
}

// firstStart seeds the demo, or creates the admin account, and returns what
// to tell the operator.
func firstStart(ctx context.Context, svc *app.App, withDemo bool) (string, error) {
	if withDemo {
		if err := demo.Seed(ctx, svc); err != nil {
			return "", err
		}
		var b strings.Builder
		fmt.Fprintf(&b, "Demo data seeded (Region Exempel). Log in with any of these, password %q:\n", demo.Password)
		for _, a := range demo.Accounts {
			fmt.Fprintf(&b, "  %-16s %-7s %s\n", a.Username, a.Role, a.Function)
		}
		return b.String(), nil
	}
	password := os.Getenv("FYR_ADMIN_PASSWORD")
	generated := password == ""
	if generated {
		password = auth.GeneratePassword()
	}
	if _, err := svc.Auth.AddUser(ctx, nil, auth.AddUser{Username: "admin", Name: "Administratör", Role: auth.Admin, Password: password}); err != nil {
		return "", fmt.Errorf("create admin account: %w", err)
	}
	if generated {
		return fmt.Sprintf("First start: created account admin with password %s\nIt is shown only this once; change it with `fyr user passwd`.\n", password), nil
	}
	return "First start: created account admin with the password from FYR_ADMIN_PASSWORD.\n", nil
}

// verify walks the hash chain of a data directory and names the first
// event that was altered, removed or reordered.
func verify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", env("FYR_DATA", ""), "data directory of a stopped server, or a copy of one")
	file := fs.String("file", "", "a backup file from GET /api/v1/export, instead of --data")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *file != "" {
		return verifyFile(*file, stdout, stderr)
	}
	if *data == "" {
		fmt.Fprintln(stderr, "fyr verify: --data or --file is required")
		return 2
	}
	if _, err := os.Stat(*data); err != nil {
		fmt.Fprintf(stderr, "fyr verify: %v\n", err)
		return 1
	}
	// Opening the store would create an empty log: a mistyped directory
	// must not verify as "OK: 0 events".
	if _, err := os.Stat(*data + string(os.PathSeparator) + "jetstream"); err != nil {
		fmt.Fprintf(stderr, "fyr verify: %s holds no Fyr event log (%v)\n", *data, err)
		return 1
	}
	st, err := store.Open(ctx, store.Config{Dir: *data})
	if err != nil {
		fmt.Fprintf(stderr, "fyr verify: %v\n", err)
		return 1
	}
	defer st.Close()
	v := event.NewVerifier()
	err = st.Replay(ctx, v.Check)
	var ce *event.ChainError
	switch {
	case errors.As(err, &ce):
		fmt.Fprintf(stdout, "FAILED after %d intact events: %v\n", v.Count, ce)
		return 3
	case err != nil:
		fmt.Fprintf(stderr, "fyr verify: %v\n", err)
		return 1
	}
	seq, hash := v.Head()
	fmt.Fprintf(stdout, "OK: %d events, hash chain intact\nlast event: seq %d, hash %s\n", v.Count, seq, hash)
	return 0
}

func user(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: fyr user add|list|change|disable|enable|passwd", flag.ErrHelp)
	}
	fs := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	data := fs.String("data", env("FYR_DATA", "fyr-data"), "data directory (the server must be stopped; or use the API)")
	org := fs.String("org", env("FYR_ORG", ""), "organisation id (default: the only one in the log)")
	username := fs.String("username", "", "account name")
	name := fs.String("name", "", "full name")
	role := fs.String("role", "", "admin, staff, unit or viewer")
	function := fs.String("function", "", "staff function, e.g. TiB")
	unit := fs.String("unit", "", "the unit a unit account answers for (its id in the directory)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *org == "" {
		o, err := onlyOrg(ctx, *data)
		if err != nil {
			return err
		}
		*org = o
	}
	svc, err := app.Open(ctx, app.Config{Dir: *data, Org: *org})
	if err != nil {
		if errors.Is(err, store.ErrLocked) {
			return fmt.Errorf("%w: stop the server first, or manage accounts through the API (/api/v1/users)", err)
		}
		return err
	}
	defer svc.Close()
	password := func() (string, error) {
		if pw := os.Getenv("FYR_PASSWORD"); pw != "" {
			return pw, nil
		}
		return "", errors.New("set the new password in FYR_PASSWORD (it is never taken as an argument, which other users could see)")
	}
	switch args[0] {
	case "add":
		pw, err := password()
		if err != nil {
			return err
		}
		u, err := svc.Auth.AddUser(ctx, nil, auth.AddUser{Username: *username, Name: *name, Role: auth.Role(*role), Function: *function, Unit: *unit, Password: pw})
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "created %s (%s)\n", u.Username, u.Role)
	case "list":
		users, _ := svc.Auth.Users(nil)
		fmt.Fprintf(stdout, "%-20s %-8s %-9s %s\n", "USERNAME", "ROLE", "STATE", "NAME")
		for _, u := range users {
			state := "active"
			if u.Disabled {
				state = "disabled"
			}
			fmt.Fprintf(stdout, "%-20s %-8s %-9s %s\n", u.Username, u.Role, state, u.Name)
		}
	case "disable":
		if err := svc.Auth.DisableUser(ctx, nil, *username); err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "disabled %s\n", *username)
	case "enable":
		if err := svc.Auth.EnableUser(ctx, nil, *username); err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "enabled %s\n", *username)
	case "change":
		u, err := svc.Auth.ChangeUser(ctx, nil, auth.ChangeUser{Username: *username, Role: auth.Role(*role), Function: *function, Unit: *unit})
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "changed %s (%s)\n", u.Username, u.Role)
	case "passwd":
		pw, err := password()
		if err != nil {
			return err
		}
		if err := svc.Auth.SetPassword(ctx, nil, *username, pw); err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "password changed for %s\n", *username)
	default:
		return fmt.Errorf("%w: unknown user command %q", flag.ErrHelp, args[0])
	}
	return nil
}

func explain(err error) error {
	fe := fail.As(err)
	if fe.Code == fail.Internal {
		return err
	}
	if fe.Field == "password" {
		return fmt.Errorf("FYR_PASSWORD (the new password): %s", fe.Message)
	}
	if fe.Field != "" {
		return fmt.Errorf("--%s: %s", strings.ReplaceAll(fe.Field, "_", "-"), fe.Message)
	}
	return errors.New(fe.Message)
}

// onlyOrg finds the organisation of a data directory that holds one.
func onlyOrg(ctx context.Context, dir string) (string, error) {
	st, err := store.Open(ctx, store.Config{Dir: dir})
	if err != nil {
		return "", err
	}
	defer st.Close()
	orgs, err := st.Orgs(ctx)
	if err != nil {
		return "", err
	}
	switch len(orgs) {
	case 0:
		return "region", nil
	case 1:
		return orgs[0], nil
	}
	return "", errors.New("the log holds several organisations: name one with --org")
}
