package web_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"fyr/internal/auth"
	"fyr/internal/continuity"
	"fyr/internal/dispatch"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
)

// seedRoutine keeps a registry in which Avdelning 1 uses Cosmic, whose
// backup routine is the paper journal, and activates it in an open
// incident for Avdelning 1 and the hospital.
func seedRoutine(t *testing.T, env *fyrtest.Env) incident.ID {
	t.Helper()
	ctx := context.Background()
	admin, staff := env.Principal(auth.Admin), env.Principal(auth.Staff)
	for _, c := range []continuity.Component{{ID: "cosmic", Kind: continuity.System, Name: "Cosmic"},
		{ID: "forms", Kind: continuity.Function, Name: "Pappersblanketter"}} {
		if _, err := env.Svc.Continuity.SaveComponent(ctx, admin, c); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := env.Svc.Continuity.AddDependency(ctx, admin, continuity.Dependency{From: "cosmic", To: "avd1", Type: continuity.UsedBy}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.Continuity.SaveRoutine(ctx, admin, continuity.Routine{ID: "journal-paper", Title: "Journal på papper",
		Steps: []string{"Hämta pärmen med journalblad i expeditionen", "Skriv ordinationer för hand och signera"}, Owner: "Vårdenhetschef",
		PaperCopy: "Expeditionen, hylla 2", For: []string{"cosmic"}, Needs: []string{"forms"}}); err != nil {
		t.Fatal(err)
	}
	inc, err := env.Svc.Incidents.OpenIncident(ctx, staff, incident.Open{Title: "Cosmic nere", Scope: "region", Level: incident.Staff})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.Continuity.ActivateRoutine(ctx, staff, continuity.Activate{Incident: inc.ID, Routine: "journal-paper",
		Audience: dispatch.Audience{Units: []string{"avd1", fyrtest.Hospital}}}); err != nil {
		t.Fatal(err)
	}
	return inc.ID
}

// A ward reports on its phone that the paper journal does not work; the
// staff's board shows it live, without a reload. The ward's binder prints
// on A4 with the routine's steps.
func TestBrowserWardReportsRoutineNotWorkingAndBoardUpdatesLive(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	id := seedRoutine(t, env)
	browser := startBrowser(t)

	s := newTab(t, browser, "staff")
	s.login(env.URL, "staff", "/incidents/"+string(id)+"/routines", "#routine-board")
	s.do("the board is live", chromedp.Poll[chromedp.Void](`(() => { const m = document.getElementById("live-state");
		return !!m && !m.hidden && !m.classList.contains("off") })()`))
	if !strings.Contains(cdpEval[string](s, "board", `document.getElementById("routine-board").textContent`), "Ej rapporterat: 2") {
		t.Fatal("the board does not show two units not reported")
	}
	s.do("mark the page", chromedp.Evaluate[chromedp.Void](`window.notReloaded = true`))
	axeAudit(t, s, "routine board")

	u := newTab(t, browser, "ward phone")
	const width = 390
	u.do("phone viewport", chromedp.EmulateViewport(width, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	u.login(env.URL, "unit", "/unit/routines", "#rr-journal-paper")
	if dir := os.Getenv("FYR_SCREENSHOTS"); dir != "" {
		png := cdpRun(u, "screenshot", chromedp.CaptureScreenshot())
		os.WriteFile(filepath.Join(dir, "unit-routines-before.png"), png, 0o644)
	}
	if !strings.Contains(cdpEval[string](u, "steps", `document.querySelector(".rr-steps").textContent`), "Skriv ordinationer för hand") {
		t.Error("the unit page does not show the routine's steps")
	}
	u.submit("not working without a note", `#rr-journal-paper button[value="not_working"]`)
	u.do("refused beside the routine", chromedp.WaitVisible(chromedp.CSS("#rr-journal-paper #rr-error")))
	u.do("write the note", chromedp.SendKeys(chromedp.ID("rr-note-journal-paper"), "Blanketterna är slut"))
	u.submit("report not working", `#rr-journal-paper button[value="not_working"]`)
	u.do("confirmed", chromedp.WaitVisible(chromedp.ID("rr-saved")))
	if dir := os.Getenv("FYR_SCREENSHOTS"); dir != "" {
		png := cdpRun(u, "screenshot", chromedp.CaptureScreenshot())
		os.WriteFile(filepath.Join(dir, "unit-routines.png"), png, 0o644)
	}
	if got := cdpEval[string](u, "saved", `document.getElementById("rr-saved").textContent`); !strings.Contains(got, "Fungerar inte") {
		t.Errorf("the confirmation %q does not say what was reported", got)
	}
	r := cdpEval[struct {
		ScrollWidth int `json:"scrollWidth"`
		InnerWidth  int `json:"innerWidth"`
	}](u, "measure", overflowJS)
	if r.ScrollWidth > width {
		t.Errorf("the unit's routine page scrolls sideways on a %d px phone: %d", width, r.ScrollWidth)
	}
	axeAudit(t, u, "unit routines on a phone")

	s.do("the board shows it live", chromedp.Poll[chromedp.Void](
		`document.getElementById("routine-board").textContent.includes("Blanketterna är slut")`))
	if !cdpEval[bool](s, "not reloaded", `window.notReloaded === true`) {
		t.Error("the board reloaded instead of updating in place")
	}
	if got := cdpEval[string](s, "first row", `document.querySelector("#routine-board tbody tr").textContent`); !strings.Contains(got, "Avdelning 1") ||
		!strings.Contains(got, "Fungerar inte") {
		t.Errorf("the unit not working is not first on the board: %q", got)
	}
	if dir := os.Getenv("FYR_SCREENSHOTS"); dir != "" {
		png := cdpRun(s, "screenshot", chromedp.FullScreenshot(100))
		os.WriteFile(filepath.Join(dir, "routine-board.png"), png, 0o644)
	}

	// A form naming no unit is refused on the page, and nothing is sent.
	s.submit("activate for nobody", `#rr-form button[type=submit]`)
	s.do("refused", chromedp.WaitVisible(chromedp.ID("rr-error")))
	// The staff activate it once more, for Avdelning 1, through the form.
	s.do("choose the unit", chromedp.Evaluate[chromedp.Void](`document.querySelector("#r-units option[value='avd1']").selected = true`))
	s.submit("activate", `#rr-form button[type=submit]`)
	s.do("the board again", chromedp.WaitVisible(chromedp.ID("routine-board")))
	if got := cdpEval[string](s, "activations", `document.querySelector("#rr-journal-paper p.meta").textContent`); strings.Count(got, "Aktiverad") != 2 {
		t.Errorf("the second activation is not on the board: %q", got)
	}
	if ds, err := env.Svc.Dispatch.Dispatches(env.Principal(auth.Staff), id); err != nil || len(ds) != 2 {
		t.Errorf("%d dispatches (%v); want one per activation", len(ds), err)
	}

	// The binder prints on A4: read the PDF back.
	u.do("the binder", chromedp.Navigate(env.URL+"/unit/routines/binder"), chromedp.WaitVisible(chromedp.ID("rr-journal-paper")))
	pdf := cdpRun(u, "print to PDF", chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
	if !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatalf("PrintToPDF gave %d bytes", len(pdf))
	}
	path := filepath.Join(t.TempDir(), "binder.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (Debian package poppler-utils): %v", err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"Reservrutinpärm – Avdelning 1", "Journal på papper", "Hämta pärmen med journalblad i expeditionen",
		"Ersätter: Cosmic", "Expeditionen, hylla 2"} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed binder lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(text, "Logga ut") {
		t.Errorf("the printed binder carries the page's navigation:\n%s", out)
	}
}
