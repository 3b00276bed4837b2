package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"fyr/internal/auth"
	"fyr/internal/channel"
	"fyr/internal/dispatch"
	"fyr/internal/event"
	"fyr/internal/fail"
)

// Channels is what the channel pages need: the senders the server was
// configured with (already wrapped by Health) and their health.
type Channels struct {
	Health  *channel.Health
	Senders map[string]channel.Sender // by channel name: email, sms
}

// SetChannels turns on the channel health page and alerts.
func (s *Server) SetChannels(c Channels) { s.channels = &c }

type channelRow struct {
	Name       string
	Configured bool
	Status     channel.Status
	Failing    bool
}

type channelsPage struct {
	Base
	Rows     []channelRow
	CanTest  bool
	Result   string
	Error    *formError
	Form     map[string]string
	Checked  time.Time
	Disabled bool
	// Guessers are the numbers that sent wrong SMS reply codes lately.
	Guessers []dispatch.SMSSender
}

var channelNames = []string{channel.Email, channel.SMS, channel.Webhook}

func (s *Server) channelRoutes() {
	s.mux.Handle("GET /channels", s.page(s.channelsPage))
	s.mux.Handle("POST /channels/test", s.page(s.channelTest))
}

func (s *Server) channelRows() []channelRow {
	var rows []channelRow
	for _, name := range channelNames {
		row := channelRow{Name: name, Status: channel.Status{Channel: name}}
		if s.channels != nil {
			_, row.Configured = s.channels.Senders[name]
			if st, ok := s.channels.Health.Get(name); ok {
				row.Status, row.Failing = st, st.Consecutive > 0
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// channelAlerts are the failing channels, shown to the staff on every page.
func (s *Server) channelAlerts() []channelRow {
	var out []channelRow
	for _, r := range s.channelRows() {
		if r.Failing {
			out = append(out, r)
		}
	}
	return out
}

func (s *Server) channelsPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return s.showChannels(w, r, p, "", nil)
}

func (s *Server) showChannels(w http.ResponseWriter, r *http.Request, p auth.Principal, result string, ferr *formError) error {
	if err := p.Require(auth.ReadJournal); err != nil {
		return err
	}
	if ferr != nil {
		w.WriteHeader(http.StatusBadRequest)
	}
	guessers, err := s.svc.Dispatch.SMSGuessers(p)
	if err != nil {
		return err
	}
	s.render(w, r, "channels", channelsPage{Base: s.base(r, &p, T(langOf(r), "channels.title")), Rows: s.channelRows(),
		CanTest: auth.Can(p.Role, auth.WriteIncidents), Result: result, Error: ferr, Checked: s.svc.Now(), Guessers: guessers})
	return nil
}

// channelTest sends a test message on demand, to an address the staff
// types: the proof that a channel works before the day it must.
func (s *Server) channelTest(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return err
	}
	name, to := r.PostFormValue("channel"), strings.TrimSpace(r.PostFormValue("to"))
	res, err := s.SendTest(r.Context(), name, to, p.Name)
	if err != nil {
		ferr, err := formFailure("test", err)
		if err != nil {
			return err
		}
		return s.showChannels(w, r, p, "", ferr)
	}
	msg := T(langOf(r), "channels.sent") + " " + res.Provider
	if !res.Handed {
		msg = T(langOf(r), "channels.failed") + ": " + res.Err.Error()
	}
	s.log.Info("channel test", "channel", name, "handed", res.Handed, "username", p.Username)
	return s.showChannels(w, r, p, msg, nil)
}

// SendTest sends one test message over a configured channel.
func (s *Server) SendTest(ctx context.Context, name, to, by string) (channel.Result, error) {
	if s.channels == nil || s.channels.Senders[name] == nil {
		return channel.Result{}, fail.Field("channel", "%q is not configured", channelName(name))
	}
	m := channel.Message{AttemptID: "test-" + event.NewID(), ToName: by, Subject: "[Fyr] Testmeddelande",
		Text: "Testmeddelande från Fyr: kanalen fungerar. Inget att göra."}
	switch name {
	case channel.Email:
		if !strings.Contains(to, "@") {
			return channel.Result{}, fail.Field("to", "give an e-mail address")
		}
		m.ToEmail = to
	case channel.SMS:
		if !strings.HasPrefix(to, "+") || len(to) < 8 {
			return channel.Result{}, fail.Field("to", "give a mobile number in E.164 form (+46701234567)")
		}
		m.ToMobile = to
	default:
		return channel.Result{}, fail.Field("channel", "test messages go by e-mail or SMS")
	}
	return s.channels.Senders[name].Send(ctx, m), nil
}

// channelMessages are the UI strings of the channel pages.
var channelMessages = map[string][2]string{
	"nav.channels":       {"Kanaler", "Channels"},
	"channels.title":     {"Kanaler för utskick", "Dispatch channels"},
	"channels.intro":     {"Hur e-post och SMS har fungerat sedan servern startade. Skicka ett testmeddelande för att pröva en kanal.", "How e-mail and SMS have worked since the server started. Send a test message to try a channel."},
	"channels.state":     {"Läge", "State"},
	"channels.last.ok":   {"Senast lyckat", "Last success"},
	"channels.last.fail": {"Senast misslyckat", "Last failure"},
	"channels.ok":        {"fungerar", "working"},
	"channels.off":       {"inte konfigurerad", "not configured"},
	"channels.failing":   {"FUNGERAR INTE", "FAILING"},
	"channels.untested":  {"inte prövad ännu", "not tried yet"},
	"channels.test":      {"Skicka testmeddelande", "Send a test message"},
	"channels.to":        {"Till (e-postadress eller mobilnummer +46…)", "To (e-mail address or mobile number +46…)"},
	"channels.send":      {"Skicka test", "Send test"},
	"channels.sent":      {"Testmeddelandet lämnades till", "The test message was handed to"},
	"channels.failed":    {"Testmeddelandet gick inte fram", "The test message failed"},
	"channels.alert":     {"Kanal ur funktion:", "Channel failing:"},
}

func init() { addMessages(channelMessages) }
