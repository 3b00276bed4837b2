package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyr/internal/fail"
)

// Why Verify rejects a request; test with errors.Is. Each error also
// carries a *fail.Error (code unauthorized, field Fyr-Signature).
var (
	ErrUnsigned     = errors.New("unsigned request")
	ErrMalformed    = errors.New("malformed signature")
	ErrBadSignature = errors.New("wrong signature")
	ErrStale        = errors.New("stale signature")
	ErrReplayed     = errors.New("replayed request")
)

// DefaultTolerance is how far a signature's time may lie from now.
const DefaultTolerance = 5 * time.Minute

func reject(kind error, format string, args ...any) error {
	e := fail.As(fail.New(fail.Unauthorized, format, args...))
	e.Field = SignatureHeader
	return fmt.Errorf("%w: %w", kind, e)
}

func mac(secret []byte, ts string, body []byte) string {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(ts))
	h.Write([]byte{'.'})
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// Verify checks a Fyr-Signature header against body: it must be present
// and well-formed, one of its v1 signatures must be the HMAC-SHA256 of
// "<t>.<body>" under secret, and t must lie within tolerance of now (in
// either direction; tolerance <= 0 means DefaultTolerance). A request
// inside the tolerance can still be replayed: receivers also drop repeated
// Idempotency-Keys, or use a Verifier.
func Verify(secret []byte, header string, body []byte, now time.Time, tolerance time.Duration) error {
	_, err := verify([][]byte{secret}, header, body, now, tolerance)
	return err
}

// verify returns the matching signature, for the replay check.
func verify(secrets [][]byte, header string, body []byte, now time.Time, tolerance time.Duration) (string, error) {
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	header = strings.TrimSpace(header)
	if header == "" {
		return "", reject(ErrUnsigned, "the request has no signature")
	}
	if len(header) > 1024 {
		return "", reject(ErrMalformed, "the signature header is too long")
	}
	var ts string
	var sigs []string
	for part := range strings.SplitSeq(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return "", reject(ErrMalformed, "expected t=<unix time>,v1=<hex>")
		}
		switch k {
		case "t":
			if ts != "" {
				return "", reject(ErrMalformed, "the time t is given twice")
			}
			ts = v
		case "v1":
			sigs = append(sigs, v)
		}
		// Other schemes (v0, v2 …) are skipped, for later change.
	}
	if ts == "" {
		return "", reject(ErrMalformed, "the time t is missing")
	}
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || unix <= 0 || strconv.FormatInt(unix, 10) != ts {
		return "", reject(ErrMalformed, "the time t is not whole seconds since 1970")
	}
	if len(sigs) == 0 {
		return "", reject(ErrMalformed, "no v1 signature")
	}
	match := ""
	for _, secret := range secrets {
		if len(secret) == 0 {
			continue
		}
		want := []byte(mac(secret, ts, body))
		for _, s := range sigs {
			if hmac.Equal([]byte(strings.ToLower(s)), want) {
				match = string(want)
			}
		}
	}
	if match == "" {
		return "", reject(ErrBadSignature, "no signature matches the body")
	}
	age := now.Sub(time.Unix(unix, 0))
	switch {
	case age > tolerance:
		return "", reject(ErrStale, "signed %s ago; at most %s is accepted (a replay?)", age.Truncate(time.Second), tolerance)
	case -age > tolerance:
		return "", reject(ErrStale, "signed %s in the future; at most %s is accepted", (-age).Truncate(time.Second), tolerance)
	}
	return match, nil
}

// Verifier checks signed requests and also rejects a request it has
// already accepted within the tolerance (a replay). It is safe for
// concurrent use.
type Verifier struct {
	// Secrets are tried in turn: the current one and, while receivers
	// move over, the previous one.
	Secrets   [][]byte
	Tolerance time.Duration    // default DefaultTolerance
	Now       func() time.Time // nil: time.Now
	MaxBody   int64            // for Request; default 1 MiB

	mu     sync.Mutex
	seen   map[string]time.Time // signature → when it may be forgotten
	pruned time.Time
}

// Check verifies header against body and rejects a signature it accepted
// before.
func (v *Verifier) Check(header string, body []byte) error {
	now := time.Now()
	if v.Now != nil {
		now = v.Now()
	}
	tol := v.Tolerance
	if tol <= 0 {
		tol = DefaultTolerance
	}
	sig, err := verify(v.Secrets, header, body, now, tol)
	if err != nil {
		return err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.seen == nil {
		v.seen = map[string]time.Time{}
	}
	if now.Sub(v.pruned) > tol {
		for k, until := range v.seen {
			if now.After(until) {
				delete(v.seen, k)
			}
		}
		v.pruned = now
	}
	if _, ok := v.seen[sig]; ok {
		return reject(ErrReplayed, "this signed request was received before")
	}
	// A signature is valid for up to 2×tolerance around its time.
	v.seen[sig] = now.Add(2 * tol)
	return nil
}

// Request reads r's body (at most MaxBody bytes) and checks its signature;
// it returns the body when the request is genuine.
func (v *Verifier) Request(r *http.Request) ([]byte, error) {
	max := v.MaxBody
	if max <= 0 {
		max = 1 << 20
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, max))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, fail.New(fail.Invalid, "the body is larger than %d bytes", max)
		}
		return nil, fmt.Errorf("reading the body: %w", err)
	}
	if err := v.Check(r.Header.Get(SignatureHeader), body); err != nil {
		return nil, err
	}
	return body, nil
}
