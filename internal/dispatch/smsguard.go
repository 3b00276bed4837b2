package dispatch

import (
	"math"
	"time"

	"fyr/internal/auth"
	"fyr/internal/fail"
)

// Reply codes are six digits: guessable by brute force through the SMS
// gateway. After SMSFreeWrong wrong codes within SMSWindow a sender number
// is refused for SMSFirstBlock, doubling with each further wrong code up
// to a day. A right code from a refused number is refused too (else the
// block would not stop the guessing); the unit still has its link and the
// phone.
const (
	SMSFreeWrong  = 5
	SMSWindow     = 15 * time.Minute
	SMSFirstBlock = 15 * time.Minute
	SMSMaxBlock   = 24 * time.Hour
)

func newSMSGuard() *auth.Throttle {
	return &auth.Throttle{Free: SMSFreeWrong, Window: SMSWindow, First: SMSFirstBlock, Max: SMSMaxBlock}
}

// SMSSender is a number that has sent wrong reply codes lately.
type SMSSender struct {
	Number       string
	Wrong        int
	BlockedUntil time.Time // zero when not refused now
}

// SMSGuessers lists the numbers with wrong reply codes not yet forgiven,
// the refused first (for the channels page).
func (s *Service) SMSGuessers(p auth.Principal) ([]SMSSender, error) {
	if err := p.Require(auth.ReadJournal); err != nil {
		return nil, err
	}
	var out []SMSSender
	for _, st := range s.guard.Strikes(s.run.Now()) {
		out = append(out, SMSSender{Number: st.Key, Wrong: st.Failures, BlockedUntil: st.Until})
	}
	return out, nil
}

// smsAllowed refuses a sender that is blocked, and logs it.
func (s *Service) smsAllowed(from string) error {
	wait := s.guard.Wait(from, s.run.Now())
	if wait <= 0 {
		return nil
	}
	mins := int(math.Ceil(wait.Minutes()))
	s.log.Warn("sms reply refused", "from", from, "reason", "blocked", "wait_min", mins)
	return fail.New(fail.TooMany, "too many wrong reply codes from %s: replies from this number are refused for %d more minutes", from, mins)
}

// smsWrongCode counts a wrong code from a sender and logs it.
func (s *Service) smsWrongCode(from string) {
	n, wait := s.guard.Fail(from, s.run.Now())
	if wait > 0 {
		s.log.Warn("sms sender blocked", "from", from, "wrong_codes", n, "blocked_min", int(math.Ceil(wait.Minutes())))
		return
	}
	s.log.Warn("sms reply code wrong", "from", from, "wrong_codes", n)
}
