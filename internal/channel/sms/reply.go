package sms

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"fyr/internal/fail"
)

// A short code is MinCode to MaxCode digits.
const (
	MinCode = 4
	MaxCode = 8
)

// MaxReply is the longest inbound text ParseReply looks at, in bytes.
const MaxReply = 4096

func validCode(s string) bool {
	if len(s) < MinCode || len(s) > MaxCode {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ackWords may stand before the code: "OK 4821", "Kvitterar: 4821".
var ackWords = map[string]bool{
	"ok": true, "okej": true, "okey": true, "okay": true, "oki": true,
	"kvitto": true, "kvittens": true, "kvittera": true, "kvitterar": true, "kvitterat": true,
	"mottaget": true, "mottagit": true, "uppfattat": true, "bekräftar": true, "bekräftat": true,
	"kod": true, "koden": true, "ack": true, "code": true, "received": true,
}

// Reply is an inbound SMS read as an acknowledgement.
type Reply struct {
	Code string // the short code, MinCode to MaxCode digits
	Rest string // any text after the code (an answer, a read-back), trimmed
}

// ParseReply reads a reply to a dispatch SMS. The reply is the short code,
// optionally after an acknowledging word and followed by free text:
// "4821", "OK 4821", "ok:4821", " Kvitterar 4821. Ja, vi kan", "OK4821".
// Case, spaces and punctuation around the words do not matter. Anything
// else before the code (other words, other numbers), a code of the wrong
// length, or no code at all is an error naming the field "message".
func ParseReply(msg string) (Reply, error) {
	if len(msg) > MaxReply {
		return Reply{}, fail.Field("message", "is too long to be a reply (%d bytes; at most %d)", len(msg), MaxReply)
	}
	if !utf8.ValidString(msg) {
		return Reply{}, fail.Field("message", "is not valid UTF-8")
	}
	i := 0
	for i < len(msg) {
		r, size := utf8.DecodeRuneInString(msg[i:])
		switch {
		case isDigit(r):
			j := i
			for j < len(msg) && isDigit(rune(msg[j])) {
				j++
			}
			code := msg[i:j]
			if !validCode(code) {
				return Reply{}, fail.Field("message", "the code has %d digits; a reply code has %d to %d", len(code), MinCode, MaxCode)
			}
			if j < len(msg) {
				if next, _ := utf8.DecodeRuneInString(msg[j:]); unicode.IsLetter(next) || unicode.IsDigit(next) {
					return Reply{}, fail.Field("message", "the code runs into other text: leave a space after it")
				}
			}
			rest := strings.TrimLeftFunc(msg[j:], func(r rune) bool { return unicode.IsSpace(r) || isSep(r) })
			return Reply{Code: code, Rest: strings.TrimSpace(rest)}, nil
		case unicode.IsSpace(r) || isSep(r):
			i += size
		case unicode.IsLetter(r):
			j := i
			for j < len(msg) {
				r, size := utf8.DecodeRuneInString(msg[j:])
				if !unicode.IsLetter(r) {
					break
				}
				j += size
			}
			if !ackWords[strings.ToLower(msg[i:j])] {
				return Reply{}, fail.Field("message", "does not start with the code: reply with the code, e.g. \"OK 4821\"")
			}
			i = j
		default:
			return Reply{}, fail.Field("message", "does not start with the code: reply with the code, e.g. \"OK 4821\"")
		}
	}
	return Reply{}, fail.Field("message", "has no code: reply with the code from the message, e.g. \"OK 4821\"")
}

// ShortCode returns the short code of a reply (see ParseReply).
func ShortCode(msg string) (string, error) {
	r, err := ParseReply(msg)
	return r.Code, err
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// isSep is punctuation that may stand between the words and the code.
func isSep(r rune) bool {
	switch r {
	case '.', ',', ':', ';', '!', '-', '–', '—', '#', '(', ')', '"', '\'', '»', '«', '”', '“':
		return true
	}
	return false
}
