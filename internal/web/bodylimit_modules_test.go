package web_test

import (
	"fyr/internal/pages"
	"fyr/internal/web"
)

// The body-limit tests in package web run over every module's routes.
func init() { web.SetTestModules(pages.Modules) }
