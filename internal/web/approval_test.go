package web_test

import (
	"context"
	"strings"
	"testing"

	"fyr/internal/auth"
	"fyr/internal/fyrtest"
	"fyr/internal/situation"
)

// With one stabschef, who wrote the draft, no one else holds the function:
// the page says so and what to do, and offers no button; with four eyes
// off the author is offered the approval.
func TestApprovalWhenNoOtherHolder(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	ctx := context.Background()
	inc := pictureIncident(t, env)
	addStabschef(t, env, "chef1", "Stina Stabschef")
	chefP := staffPrincipal(t, env, "chef1")
	pic, err := env.Svc.Situation.DraftPicture(ctx, chefP, situation.DraftPicture{Incident: inc})
	if err != nil {
		t.Fatal(err)
	}
	chef := newBrowser(t, env)
	chef.loginUser("chef1")
	_, page := chef.get("/pictures/" + string(pic.ID))
	if strings.Contains(page, `id="approve-form"`) || !strings.Contains(page, "Ingen annan har funktionen stabschef. En administratör kan godkänna versionen") {
		t.Errorf("the only stabschef, the author, is offered the approval or not told who can: %s", section(page, `id="approve-wait"`))
	}
	admin := env.Principal(auth.Admin)
	if err := env.Svc.Situation.SetFourEyes(ctx, admin, false); err != nil {
		t.Fatal(err)
	}
	_, page = chef.get("/pictures/" + string(pic.ID))
	if !strings.Contains(page, `id="approve-form"`) || strings.Contains(page, `id="approve-wait"`) {
		t.Error("with four eyes off the author is not offered the approval")
	}
}

// section is the part of a page from marker on, for a readable failure.
func section(page, marker string) string {
	i := strings.Index(page, marker)
	if i < 0 {
		return "(no " + marker + ")"
	}
	return page[i:min(len(page), i+600)]
}
