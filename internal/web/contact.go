package web

import "fyr/internal/directory"

// contactView is one contact for the contact template.
type contactView struct {
	Lang Lang
	directory.Contact
}

func contactViews(l Lang, cs []directory.Contact) []contactView {
	out := make([]contactView, len(cs))
	for i, c := range cs {
		out[i] = contactView{l, c}
	}
	return out
}
