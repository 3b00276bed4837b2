package app

import (
	"context"
	"fmt"
	"strings"

	"fyr/internal/store"
)

// resolveOrg picks the organisation to serve: the one the log holds when
// none is named, and never one the log does not hold (a restored backup
// served under the default name would look empty: no incident, no login).
// An empty log takes the named one, else def.
func resolveOrg(ctx context.Context, st store.Log, named, def string) (string, error) {
	orgs, err := st.Orgs(ctx)
	if err != nil {
		return "", err
	}
	switch {
	case len(orgs) == 0 && named != "":
		return named, nil
	case len(orgs) == 0:
		return def, nil
	case named != "":
		for _, o := range orgs {
			if o == named {
				return named, nil
			}
		}
		return "", fmt.Errorf("the data directory holds the organisation %s, not %q: leave out --org (and FYR_ORG) to serve it", strings.Join(orgs, ", "), named)
	case len(orgs) == 1:
		return orgs[0], nil
	}
	return "", fmt.Errorf("the data directory holds several organisations (%s): name one with --org", strings.Join(orgs, ", "))
}
