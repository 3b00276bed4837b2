package directory

import (
	"net"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyr/internal/fail"
)

// Limits on what one unit or person may hold.
const (
	maxID       = 64
	maxName     = 200
	maxFunction = 100
	maxEmail    = 254
	maxDeputies = 10
)

// NormalizePhone turns a phone number into E.164 (+46701234567). Swedish
// national forms are accepted and get the country code: 070-123 45 67,
// 0701234567, 08-123 456 78, +46 (0)70 123 45 67, 0046 70 123 45 67 and
// +46 070 … all become +46…. Spaces, hyphens, dots, slashes and brackets
// are separators; a leading apostrophe (Excel's text marker) is dropped.
// Anything else that does not end up as E.164 is an error. "" stays "".
func NormalizePhone(s string) (string, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "'")
	if s == "" {
		return "", nil
	}
	orig := s
	s = strings.Replace(s, "(0)", "", 1) // +46 (0)70 …: the trunk zero in brackets
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case strings.ContainsRune(" -./()\u00a0\u2009\u202f\t", r):
		default:
			return "", fail.Errorf("%q is not a phone number: %q is neither a digit nor a separator", orig, r)
		}
	}
	d := b.String()
	var num string // country code and number, digits only
	switch {
	case strings.HasPrefix(d, "+"):
		num = d[1:]
	case strings.HasPrefix(d, "00"):
		num = d[2:]
	case strings.HasPrefix(d, "0"):
		num = "46" + d[1:]
	case strings.HasPrefix(d, "46") && len(d) >= 9 && len(d) <= 11:
		return "", fail.Errorf("%q lacks the + before the country code (spreadsheets drop it): write +%s or 0%s", orig, d, d[2:])
	default:
		return "", fail.Errorf("%q is not a phone number: begin with 0 (070-123 45 67) or the country code (+46 70 123 45 67)", orig)
	}
	if strings.HasPrefix(num, "460") {
		num = "46" + num[3:] // +46 070 …: the trunk zero kept after the country code
	}
	switch {
	case num == "" || num[0] == '0':
		return "", fail.Errorf("%q is not a phone number: the country code is missing", orig)
	case strings.HasPrefix(num, "460"):
		return "", fail.Errorf("%q is not a phone number: too many zeros after the country code", orig)
	case strings.HasPrefix(num, "46") && (len(num)-2 < 7 || len(num)-2 > 9):
		return "", fail.Errorf("%q is not a Swedish phone number: it has %d digits after the leading 0, not 7 to 9", orig, len(num)-2)
	case len(num) < 7 || len(num) > 15:
		return "", fail.Errorf("%q is not a phone number: E.164 numbers have 7 to 15 digits, this has %d", orig, len(num))
	}
	return "+" + num, nil
}

// IsE164 reports whether s is a phone number in E.164 form.
func IsE164(s string) bool {
	n, err := NormalizePhone(s)
	return err == nil && n == s && s != ""
}

// CheckWebhookURL reports whether s can be a unit's webhook: an absolute
// https URL without user or password (the body carries a receipt link, so
// it must not travel in clear), or plain http to this machine only.
func CheckWebhookURL(s string) error {
	if len(s) > 2048 {
		return fail.Errorf("is longer than 2048 characters")
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return fail.Errorf("%q is not an absolute URL such as https://host/path", s)
	}
	if u.User != nil {
		return fail.Errorf("%q carries a user or password; the webhook is signed instead", s)
	}
	if u.Fragment != "" {
		return fail.Errorf("%q has a #fragment, which is never sent", s)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if h := u.Hostname(); h == "localhost" || net.ParseIP(h).IsLoopback() {
			return nil
		}
		return fail.Errorf("%q must use https (plain http only to localhost)", s)
	}
	return fail.Errorf("%q must use https", s)
}

// CheckEmail reports whether s is a plain e-mail address (no display name).
func CheckEmail(s string) error {
	bad := fail.Errorf("%q is not an e-mail address", s)
	if len(s) > maxEmail || strings.ContainsAny(s, " <>,;\"") {
		return bad
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return bad
	}
	_, domain, _ := strings.Cut(s, "@")
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return fail.Errorf("%q is not an e-mail address: the domain %q is not a full domain name", s, domain)
	}
	return nil
}

// CheckID reports whether s can be an id: 1–64 letters, digits, '-', '_',
// '.' or ':', not starting with '-'.
func CheckID(s string) error {
	if s == "" {
		return fail.Errorf("is required")
	}
	if utf8.RuneCountInString(s) > maxID {
		return fail.Errorf("%q is longer than %d characters", s, maxID)
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("-_.:", r) {
			return fail.Errorf("%q may hold only letters, digits, '-', '_', '.' and ':' (not %q)", s, r)
		}
	}
	if s[0] == '-' {
		return fail.Errorf("%q may not begin with '-'", s)
	}
	return nil
}

func checkText(field, s string, max int, required bool) *fail.Problem {
	switch {
	case required && strings.TrimSpace(s) == "":
		p := fail.Problemf(field, "is required")
		return &p
	case utf8.RuneCountInString(s) > max:
		p := fail.Problemf(field, "is longer than %d characters", max)
		return &p
	case strings.ContainsFunc(s, unicode.IsControl):
		p := fail.Problemf(field, "may not hold control characters (line breaks, tabs)")
		return &p
	}
	return nil
}

// checkUnit normalises a unit's fields (trims, phone to E.164) and returns
// what is wrong with them on their own; references to other units and
// people are checked against the directory by the commands.
func checkUnit(u *Unit) []fail.Problem {
	var ps []fail.Problem
	add := func(field string, err error) {
		if err != nil {
			ps = append(ps, fail.ProblemOf(field, err))
		}
	}
	u.ID, u.Name, u.Parent = strings.TrimSpace(u.ID), strings.TrimSpace(u.Name), strings.TrimSpace(u.Parent)
	add("id", CheckID(u.ID))
	if p := checkText("name", u.Name, maxName, true); p != nil {
		ps = append(ps, *p)
	}
	if !u.Type.Valid() {
		ps = append(ps, fail.Problemf("type", "unknown unit type %q (use %s)", u.Type, typeList()))
	}
	if u.ID == "region" && u.Type != Region {
		ps = append(ps, fail.Problemf("id", `"region" is reserved for the region`))
	}
	if u.Parent != "" {
		if err := CheckID(u.Parent); err != nil {
			add("parent", err)
		} else if u.Parent == u.ID {
			ps = append(ps, fail.Problemf("parent", "a unit cannot be its own parent (cycle: %s → %s)", u.ID, u.ID))
		}
	}
	ps = append(ps, checkContacts(u)...)
	return ps
}

// checkContacts normalises and checks a unit's own contact points and the
// person ids of who answers for it.
func checkContacts(u *Unit) []fail.Problem {
	var ps []fail.Problem
	var err error
	if u.Phone, err = NormalizePhone(u.Phone); err != nil {
		ps = append(ps, fail.ProblemOf("phone", err))
	}
	if u.Email = strings.TrimSpace(u.Email); u.Email != "" {
		if err := CheckEmail(u.Email); err != nil {
			ps = append(ps, fail.ProblemOf("email", err))
		}
	}
	if u.Webhook = strings.TrimSpace(u.Webhook); u.Webhook != "" {
		if err := CheckWebhookURL(u.Webhook); err != nil {
			ps = append(ps, fail.ProblemOf("webhook", err))
		}
	}
	if u.Primary = strings.TrimSpace(u.Primary); u.Primary != "" {
		if err := CheckID(u.Primary); err != nil {
			ps = append(ps, fail.ProblemOf("primary", err))
		}
	}
	var deputies []string
	for _, id := range u.Deputies {
		id = strings.TrimSpace(id)
		switch {
		case id == "":
			continue
		case CheckID(id) != nil:
			ps = append(ps, fail.ProblemOf("deputies", CheckID(id)))
		case id == u.Primary:
			ps = append(ps, fail.Problemf("deputies", "%q is the primary contact; a deputy must be someone else", id))
		case slices.Contains(deputies, id):
			ps = append(ps, fail.Problemf("deputies", "%q is listed twice", id))
		}
		deputies = append(deputies, id)
	}
	if len(deputies) > maxDeputies {
		ps = append(ps, fail.Problemf("deputies", "has %d people; at most %d", len(deputies), maxDeputies))
	}
	u.Deputies = deputies
	if len(deputies) > 0 && u.Primary == "" {
		ps = append(ps, fail.Problemf("primary", "is required when there are deputies"))
	}
	return ps
}

// checkPerson normalises a person's fields and returns what is wrong with
// them on their own.
func checkPerson(p *Person) []fail.Problem {
	var ps []fail.Problem
	p.ID, p.Name, p.Unit = strings.TrimSpace(p.ID), strings.TrimSpace(p.Name), strings.TrimSpace(p.Unit)
	p.Function, p.Email = strings.TrimSpace(p.Function), strings.TrimSpace(p.Email)
	if err := CheckID(p.ID); err != nil {
		ps = append(ps, fail.ProblemOf("id", err))
	}
	for _, c := range []*fail.Problem{checkText("name", p.Name, maxName, true), checkText("function", p.Function, maxFunction, false)} {
		if c != nil {
			ps = append(ps, *c)
		}
	}
	if p.Unit != "" {
		if err := CheckID(p.Unit); err != nil {
			ps = append(ps, fail.ProblemOf("unit", err))
		}
	}
	var err error
	if p.Mobile, err = NormalizePhone(p.Mobile); err != nil {
		ps = append(ps, fail.ProblemOf("mobile", err))
	}
	if p.Email != "" {
		if err := CheckEmail(p.Email); err != nil {
			ps = append(ps, fail.ProblemOf("email", err))
		}
	}
	return ps
}

func typeList() string {
	var s []string
	for _, t := range UnitTypes {
		s = append(s, string(t))
	}
	return strings.Join(s, ", ")
}

// firstError turns the first problem into a field error.
func firstError(ps []fail.Problem) error {
	if len(ps) == 0 {
		return nil
	}
	return ps[0].Err()
}
