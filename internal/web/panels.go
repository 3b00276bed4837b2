package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"slices"

	"fyr/internal/auth"
)

// Panels: a page that composes several capabilities' parts (the incident
// page shows the situation picture's links and the dispatches) renders the
// panels registered for it, without knowing whose they are. A module
// registers a panel for a named page from its Mount; the page asks for its
// panels and places them where its template says.

// PanelFunc renders one panel of a page for the caller: the same request
// the page answers (its path values and query), HTML or "" to show
// nothing. An error fails the page.
type PanelFunc func(r *http.Request, p auth.Principal) (template.HTML, error)

type panel struct {
	order int
	fn    PanelFunc
}

// HandlePanel registers fn as a panel of page (e.g. "incident"); panels
// show in ascending order, equal orders in the order registered.
func (s *Server) HandlePanel(page string, order int, fn PanelFunc) {
	if s.panels == nil {
		s.panels = map[string][]panel{}
	}
	ps := append(s.panels[page], panel{order, fn})
	slices.SortStableFunc(ps, func(a, b panel) int { return a.order - b.order })
	s.panels[page] = ps
}

// Panels renders the panels registered for page, in their order.
func (s *Server) Panels(page string, r *http.Request, p auth.Principal) ([]template.HTML, error) {
	var out []template.HTML
	for _, pn := range s.panels[page] {
		h, err := pn.fn(r, p)
		if err != nil {
			return nil, err
		}
		if h != "" {
			out = append(out, h)
		}
	}
	return out, nil
}

// Partial renders the template name with data as a part of a page (a
// panel, a live frame's HTML).
func (s *Server) Partial(name string, data any) (template.HTML, error) {
	var b bytes.Buffer
	if err := s.pages.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("render %s: %w", name, err)
	}
	return template.HTML(b.String()), nil // html/template escaped it
}
