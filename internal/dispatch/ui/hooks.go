package dispatchui

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"net/http"

	"fyr/internal/channel/sms"
	"fyr/internal/channel/webhook"
	"fyr/internal/dispatch"
	"fyr/internal/fail"
	"fyr/internal/web"
)

// enableHooks serves the SMS gateway's callbacks. The gateway signs
// nothing, so its URL carries a secret key (?key=…); without a configured
// key the routes do not exist.
func (m *Module) enableHooks(key string) {
	m.hookKey = key
	if m.hookKey == "" {
		return
	}
	m.sh.HandleOpen("POST /hooks/sms/inbound", m.smsInbound)
	m.sh.HandleOpen("POST /hooks/sms/delivery", m.smsDelivery)
}

// smsDelivery takes a delivery report for an SMS that Fyr sent.
func (m *Module) smsDelivery(w http.ResponseWriter, r *http.Request) {
	if !m.hookAllowed(r) {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	d, err := sms.ReadDelivery(r)
	if err == nil && d.Attempt == "" {
		err = fail.Field("attempt", "is missing from the callback URL")
	}
	if err == nil && d.Status != sms.StatusSent {
		err = m.svc.RecordDelivery(r.Context(), d.Attempt, d.Gateway, d.Status == sms.StatusDelivered)
	}
	if err != nil {
		fe := m.sh.Report(r, err)
		http.Error(w, fe.Error(), web.Status(fe.Code))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (m *Module) hookAllowed(r *http.Request) bool {
	return subtle.ConstantTimeCompare([]byte(r.URL.Query().Get("key")), []byte(m.hookKey)) == 1
}

// smsInbound takes a reply to a dispatch SMS ("OK 123456", optionally with
// an answer). 46elks sends the text of the response back to the sender as
// an SMS, so every outcome is answered in words.
func (m *Module) smsInbound(w http.ResponseWriter, r *http.Request) {
	if !m.hookAllowed(r) {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	in, err := sms.ReadInbound(r)
	if err != nil {
		fe := m.sh.Report(r, err)
		http.Error(w, fe.Error(), web.Status(fe.Code))
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	reply, err := sms.ParseReply(in.Message)
	if err == nil {
		_, err = m.svc.AcknowledgeBySMS(r.Context(), in.From, reply.Code, reply.Rest)
	}
	if err != nil {
		fe := m.sh.Report(r, err)
		m.sh.Logger().Info("sms reply refused", "field", fe.Field, "reason", fe.Message)
		if fe.Code == fail.Internal {
			w.WriteHeader(http.StatusInternalServerError)
		}
		if fe.Code == fail.TooMany { // a guesser, or a unit that mistyped five times: the link still works
			w.Write([]byte(web.T(web.Swedish, "sms.blocked")))
			return
		}
		w.Write([]byte("Fyr: kvittensen kunde inte registreras (" + web.ErrText(web.Swedish, fe) + "). Använd länken i SMS:et eller ring krisledningen."))
		return
	}
	w.Write([]byte("Fyr: tack, kvittensen är registrerad."))
}

// enableWebhookReceipts turns on POST /hooks/webhook/receipt, where a
// unit's own system acknowledges a dispatch its webhook brought. The
// request is signed like the webhooks Fyr sends (Fyr-Signature, HMAC-SHA256
// with the shared secret); an unsigned, wrongly signed, stale or replayed
// request changes nothing.
func (m *Module) enableWebhookReceipts(secret []byte) {
	v := &webhook.Verifier{Secrets: [][]byte{secret}, Now: m.now, MaxBody: 64 << 10}
	m.sh.HandleOpen("POST /hooks/webhook/receipt", func(w http.ResponseWriter, r *http.Request) {
		st, err := m.webhookReceipt(r, v)
		if err != nil {
			fe := m.sh.Report(r, err)
			m.sh.Logger().Info("webhook receipt refused", "field", fe.Field, "reason", fe.Message)
			web.WriteJSON(w, web.Status(fe.Code), web.ErrorBody(fe))
			return
		}
		web.WriteJSON(w, http.StatusOK, st)
	})
}

func (m *Module) webhookReceipt(r *http.Request, v *webhook.Verifier) (dispatch.UnitState, error) {
	body, err := v.Request(r)
	if err != nil {
		return dispatch.UnitState{}, err
	}
	var rec dispatch.WebhookReceipt
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec); err != nil {
		return dispatch.UnitState{}, web.JSONError(err, body)
	}
	return m.svc.AcknowledgeByWebhook(r.Context(), rec)
}
