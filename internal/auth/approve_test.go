package auth_test

import (
	"testing"

	"fyr/internal/auth"
	"fyr/internal/fail"
)

// The approving role: admins by role, staff only as stabschef; never a
// unit or a viewer, whatever their function.
func TestApprovePictureByFunction(t *testing.T) {
	for _, c := range []struct {
		role     auth.Role
		function string
		may      bool
	}{
		{auth.Admin, "", true},
		{auth.Staff, "Stabschef", true},
		{auth.Staff, "TiB, stabschef", true},
		{auth.Staff, "Sjukvårdsledare", false},
		{auth.Staff, "", false},
		{auth.Unit, "Stabschef", false},
		{auth.Viewer, "Stabschef", false},
	} {
		p := auth.Principal{Role: c.role, Function: c.function}
		if p.May(auth.ApprovePicture) != c.may || (p.Require(auth.ApprovePicture) == nil) != c.may {
			t.Errorf("%s %q: may approve %v", c.role, c.function, !c.may)
		}
		if err := p.Require(auth.ApprovePicture); err != nil && !fail.Is(err, fail.Forbidden) {
			t.Errorf("%s %q: %v", c.role, c.function, err)
		}
	}
	if !(auth.Principal{Role: auth.Unit}).May(auth.FileReport) || (auth.Principal{Role: auth.Viewer}).May(auth.FileReport) {
		t.Error("file_report: units and staff file reports, viewers do not")
	}
}
