package ui

import (
	"fmt"
	"strings"

	"fyr/internal/auth"
	"fyr/internal/situation"
	"fyr/internal/web"
)

// Who may approve a situation picture, said to those who may not (issue 8,
// point 6): a button that can only be refused is never offered.

// approvalMessages are the UI strings of the approval notice: Swedish, English.
var approvalMessages = map[string][2]string{
	"approval.own":   {"Du har skrivit i den här versionen och får därför inte själv godkänna den (fyra ögon).", "You wrote part of this version and so may not approve it yourself (four eyes)."},
	"approval.waits": {"Versionen väntar på godkännande.", "The version waits for approval."},
	// %[1]s is the approving function, %[2]s the names.
	"approval.by.other": {"Godkänns av en annan %[1]s: %[2]s.", "To be approved by another %[1]s: %[2]s."},
	"approval.by":       {"Godkänns av %[1]s: %[2]s.", "To be approved by the %[1]s: %[2]s."},
	"approval.none":     {"Ingen annan har funktionen %[1]s. En administratör kan godkänna versionen, eller ge någon funktionen %[1]s under Användare.", "No one else holds the function %[1]s. An administrator can approve the version, or give someone the function %[1]s under Users."},
}

func init() { web.AddMessages(approvalMessages) }

// approveWho names who may approve pic: the holders of the approving
// function, under four eyes none of its authors.
func (m *Module) approveWho(lang web.Lang, p auth.Principal, pic situation.Picture, fourEyes, own bool) string {
	var except []string
	if fourEyes {
		except = pic.Authors
	}
	fn := strings.Join(auth.ApproverFunctions, ", ")
	holders, err := m.approvers.Approvers(p, except)
	if err != nil || len(holders) == 0 {
		return fmt.Sprintf(web.T(lang, "approval.none"), fn)
	}
	names := make([]string, len(holders))
	for i, u := range holders {
		names[i] = u.Name
	}
	key := "approval.by"
	if own {
		key = "approval.by.other"
	}
	return fmt.Sprintf(web.T(lang, key), fn, strings.Join(names, ", "))
}
