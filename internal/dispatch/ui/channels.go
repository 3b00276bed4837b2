package dispatchui

import (
	"context"
	"html/template"
	"net/http"
	"strings"
	"time"

	"fyr/internal/auth"
	"fyr/internal/channel"
	"fyr/internal/dispatch"
	"fyr/internal/event"
	"fyr/internal/fail"
	"fyr/internal/web"
)

// Channels is what the channel pages need: the senders the server was
// configured with (already wrapped by Health) and their health.
type Channels struct {
	Health  *channel.Health
	Senders map[string]channel.Sender // by channel name: email, sms
}

// ChannelsSetting is the setting (web.Server.Configure) that gives the
// module the configured Channels: the channel page's health, the failing
// channel's alert on every page, and the channels a dispatch may go over.
const ChannelsSetting = "channels"

type channelRow struct {
	Name       string
	Configured bool
	Status     channel.Status
	Failing    bool
}

type channelsPage struct {
	web.Base
	Rows     []channelRow
	CanTest  bool
	Result   string
	Error    *web.FormError
	Form     map[string]string
	Checked  time.Time
	Disabled bool
	// Guessers are the numbers that sent wrong SMS reply codes lately.
	Guessers []dispatch.SMSSender
}

var channelNames = []string{channel.Email, channel.SMS, channel.Webhook}

func (m *Module) channelRoutes() {
	m.sh.HandlePage("GET /channels", m.channelsPage)
	m.sh.HandlePage("POST /channels/test", m.channelTest)
}

func (m *Module) channelRows() []channelRow {
	var rows []channelRow
	for _, name := range channelNames {
		row := channelRow{Name: name, Status: channel.Status{Channel: name}}
		if c := m.channels.Load(); c != nil {
			_, row.Configured = c.Senders[name]
			if st, ok := c.Health.Get(name); ok {
				row.Status, row.Failing = st, st.Consecutive > 0
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// channelAlerts are the failing channels, shown to the staff on every page.
func (m *Module) channelAlerts(l web.Lang, p auth.Principal) template.HTML {
	if !auth.Can(p.Role, auth.WriteIncidents) {
		return ""
	}
	var failing []channelRow
	for _, r := range m.channelRows() {
		if r.Failing {
			failing = append(failing, r)
		}
	}
	if len(failing) == 0 {
		return ""
	}
	return template.HTML(m.sh.Fragment("channel-alerts", channelAlertsView{l, failing}))
}

type channelAlertsView struct {
	Lang   web.Lang
	Alerts []channelRow
}

func (m *Module) channelsPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return m.showChannels(w, r, p, "", nil)
}

func (m *Module) showChannels(w http.ResponseWriter, r *http.Request, p auth.Principal, result string, ferr *web.FormError) error {
	if err := p.Require(auth.ReadJournal); err != nil {
		return err
	}
	if ferr != nil {
		w.WriteHeader(http.StatusBadRequest)
	}
	guessers, err := m.svc.SMSGuessers(p)
	if err != nil {
		return err
	}
	m.sh.Render(w, r, "channels", channelsPage{Base: m.sh.Base(r, &p, web.T(web.LangOf(r), "channels.title")), Rows: m.channelRows(),
		CanTest: auth.Can(p.Role, auth.WriteIncidents), Result: result, Error: ferr, Checked: m.now(), Guessers: guessers})
	return nil
}

// channelTest sends a test message on demand, to an address the staff
// types: the proof that a channel works before the day it must.
func (m *Module) channelTest(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return err
	}
	name, to := r.PostFormValue("channel"), strings.TrimSpace(r.PostFormValue("to"))
	res, err := m.sendTest(r.Context(), name, to, p.Name)
	if err != nil {
		ferr, err := web.FormFailure("test", err)
		if err != nil {
			return err
		}
		return m.showChannels(w, r, p, "", ferr)
	}
	msg := web.T(web.LangOf(r), "channels.sent") + " " + res.Provider
	if !res.Handed {
		msg = web.T(web.LangOf(r), "channels.failed") + ": " + res.Err.Error()
	}
	m.sh.Logger().Info("channel test", "channel", name, "handed", res.Handed, "username", p.Username)
	return m.showChannels(w, r, p, msg, nil)
}

// sendTest sends one test message over a configured channel.
func (m *Module) sendTest(ctx context.Context, name, to, by string) (channel.Result, error) {
	c := m.channels.Load()
	if c == nil {
		c = &Channels{}
	}
	return c.SendTest(ctx, name, to, by)
}

// SendTest sends one test message over the channel name, to an address
// the staff type (or the operator configured for a scheduled test).
func (c Channels) SendTest(ctx context.Context, name, to, by string) (channel.Result, error) {
	if c.Senders[name] == nil {
		return channel.Result{}, fail.Field("channel", "%q is not configured", web.ChannelName(name))
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
	return c.Senders[name].Send(ctx, m), nil
}

// channelMessages are the UI strings of the channel pages.
var channelMessages = map[string][2]string{
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

func init() { web.AddMessages(channelMessages) }
