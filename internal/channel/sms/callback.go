package sms

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"fyr/internal/fail"
)

// Delivery report states (46elks).
const (
	StatusSent      = "sent"      // handed from the gateway to the carrier
	StatusDelivered = "delivered" // the phone has it
	StatusFailed    = "failed"    // it could not be delivered
)

// Delivery is a delivery report a gateway posted to whendelivered.
type Delivery struct {
	ID        string    // the gateway's message id: the Result's ProviderID
	Status    string    // StatusSent, StatusDelivered or StatusFailed
	Delivered time.Time // when it was delivered (UTC); zero unless delivered
	// From the query of the whendelivered URL that Send built.
	Attempt string // the attempt id, when present
	Gateway string // the gateway's name, when present
}

// Inbound is an SMS a gateway received and posted to its sms_url.
type Inbound struct {
	ID      string    // the gateway's id of the SMS
	From    string    // the sender, E.164
	To      string    // the gateway's number it was sent to, E.164
	Message string    // the text, possibly empty
	Created time.Time // when the gateway received it (UTC)
}

// MaxInbound is the longest inbound text accepted, in characters.
const MaxInbound = 2000

// MaxCallbackBody is the largest callback body read, in bytes.
const MaxCallbackBody = 64 << 10

// TimeLayout is how 46elks writes times: UTC, microseconds, no zone.
const TimeLayout = "2006-01-02T15:04:05.000000"

var (
	providerID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,100}$`)
	gatewayArg = regexp.MustCompile(`^[\pL\pN ._-]{1,100}$`)
)

// ParseDelivery reads the form of a delivery report: id, status and, for a
// delivered message, delivered. Errors name the field at fault.
func ParseDelivery(form url.Values) (Delivery, error) {
	var d Delivery
	var err error
	if d.ID, err = one(form, "id", true); err != nil {
		return Delivery{}, err
	}
	if !providerID.MatchString(d.ID) {
		return Delivery{}, fail.Field("id", "must be 1 to 100 letters, digits, dashes or underscores")
	}
	if d.Status, err = one(form, "status", true); err != nil {
		return Delivery{}, err
	}
	switch d.Status {
	case StatusSent, StatusDelivered, StatusFailed:
	default:
		return Delivery{}, fail.Field("status", "must be sent, delivered or failed")
	}
	at, err := one(form, "delivered", d.Status == StatusDelivered)
	if err != nil {
		return Delivery{}, err
	}
	if at != "" {
		if d.Status != StatusDelivered {
			return Delivery{}, fail.Field("delivered", "is only given with status delivered")
		}
		if d.Delivered, err = parseTime(at); err != nil {
			return Delivery{}, fail.Field("delivered", "%v", err)
		}
	}
	return d, nil
}

// ParseInbound reads the form of an inbound SMS: id, from, to, message,
// created and, when present, direction (always "incoming"). Errors name the
// field at fault.
func ParseInbound(form url.Values) (Inbound, error) {
	var in Inbound
	var err error
	if dir, err := one(form, "direction", false); err != nil {
		return Inbound{}, err
	} else if dir != "" && dir != "incoming" {
		return Inbound{}, fail.Field("direction", "must be incoming")
	}
	if in.ID, err = one(form, "id", true); err != nil {
		return Inbound{}, err
	}
	if !providerID.MatchString(in.ID) {
		return Inbound{}, fail.Field("id", "must be 1 to 100 letters, digits, dashes or underscores")
	}
	for _, f := range []struct {
		name string
		to   *string
	}{{"from", &in.From}, {"to", &in.To}} {
		if *f.to, err = one(form, f.name, true); err != nil {
			return Inbound{}, err
		}
		if !IsE164(*f.to) {
			return Inbound{}, fail.Field(f.name, "is not a phone number in E.164 form")
		}
	}
	if _, ok := form["message"]; !ok {
		return Inbound{}, fail.Field("message", "is missing")
	}
	if in.Message, err = one(form, "message", false); err != nil {
		return Inbound{}, err
	}
	if !utf8.ValidString(in.Message) {
		return Inbound{}, fail.Field("message", "is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(in.Message); n > MaxInbound {
		return Inbound{}, fail.Field("message", "is %d characters long; at most %d are accepted", n, MaxInbound)
	}
	created, err := one(form, "created", true)
	if err != nil {
		return Inbound{}, err
	}
	if in.Created, err = parseTime(created); err != nil {
		return Inbound{}, fail.Field("created", "%v", err)
	}
	return in, nil
}

// ReadDelivery reads a delivery report request: the form in the body and
// the attempt and gateway that Send put in the whendelivered URL's query.
// It does not check the secret the URL carries; the handler does.
func ReadDelivery(r *http.Request) (Delivery, error) {
	form, err := readForm(r)
	if err != nil {
		return Delivery{}, err
	}
	d, err := ParseDelivery(form)
	if err != nil {
		return Delivery{}, err
	}
	q := r.URL.Query()
	if d.Attempt, err = one(q, "attempt", false); err != nil {
		return Delivery{}, err
	}
	if d.Attempt != "" && !attemptID.MatchString(d.Attempt) {
		return Delivery{}, fail.Field("attempt", "is not an attempt id")
	}
	if d.Gateway, err = one(q, "gateway", false); err != nil {
		return Delivery{}, err
	}
	if d.Gateway != "" && !gatewayArg.MatchString(d.Gateway) {
		return Delivery{}, fail.Field("gateway", "is not a gateway name")
	}
	return d, nil
}

// ReadInbound reads an inbound SMS request.
func ReadInbound(r *http.Request) (Inbound, error) {
	form, err := readForm(r)
	if err != nil {
		return Inbound{}, err
	}
	return ParseInbound(form)
}

// readForm reads a form-encoded POST body of at most MaxCallbackBody bytes.
func readForm(r *http.Request) (url.Values, error) {
	if r.Method != http.MethodPost {
		return nil, fail.New(fail.Invalid, "use POST, not %s", r.Method)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(strings.ToLower(ct), "application/x-www-form-urlencoded") {
		return nil, fail.Field("Content-Type", "must be application/x-www-form-urlencoded")
	}
	b, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, MaxCallbackBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, fail.New(fail.Invalid, "the body is larger than %d bytes", MaxCallbackBody)
		}
		return nil, fmt.Errorf("reading the callback body: %w", err)
	}
	form, err := url.ParseQuery(string(b))
	if err != nil {
		return nil, fail.New(fail.Invalid, "the body is not a valid form: %v", err)
	}
	return form, nil
}

// one returns the single value of a field; a field given twice is an
// error, and so is a required field that is missing or blank.
func one(form url.Values, field string, required bool) (string, error) {
	vs := form[field]
	switch {
	case len(vs) > 1:
		return "", fail.Field(field, "is given more than once")
	case len(vs) == 0 || strings.TrimSpace(vs[0]) == "":
		if required {
			return "", fail.Field(field, "is required")
		}
		if len(vs) == 0 {
			return "", nil
		}
	}
	return vs[0], nil
}

// parseTime reads a gateway's time: 46elks's UTC form without a zone
// (fractions optional), or RFC 3339.
func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			t = t.UTC()
			if t.Year() < 2000 || t.Year() > 2999 {
				return time.Time{}, fmt.Errorf("%q lies outside the years 2000 to 2999", s)
			}
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time like 2018-09-21T06:03:00.000000 (UTC)", s)
}
