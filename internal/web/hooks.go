package web

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"net/http"

	"fyr/internal/channel/sms"
	"fyr/internal/channel/webhook"
	"fyr/internal/dispatch"
	"fyr/internal/fail"
)

// hookRoutes serves the SMS gateway's callbacks. The gateway signs nothing,
// so its URL carries a secret key (?key=…); without a configured key the
// routes do not exist.
func (s *Server) hookRoutes() {
	if s.HookKey == "" {
		return
	}
	s.mux.HandleFunc("POST /hooks/sms/inbound", s.smsInbound)
	s.mux.HandleFunc("POST /hooks/sms/delivery", s.smsDelivery)
}

// smsDelivery takes a delivery report for an SMS that Fyr sent.
func (s *Server) smsDelivery(w http.ResponseWriter, r *http.Request) {
	if !s.hookAllowed(r) {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	d, err := sms.ReadDelivery(r)
	if err == nil && d.Attempt == "" {
		err = fail.Field("attempt", "is missing from the callback URL")
	}
	if err == nil && d.Status != sms.StatusSent {
		err = s.svc.Dispatch.RecordDelivery(r.Context(), d.Attempt, d.Gateway, d.Status == sms.StatusDelivered)
	}
	if err != nil {
		fe := s.report(r, err)
		http.Error(w, fe.Error(), status(fe.Code))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) hookAllowed(r *http.Request) bool {
	return subtle.ConstantTimeCompare([]byte(r.URL.Query().Get("key")), []byte(s.HookKey)) == 1
}

// smsInbound takes a reply to a dispatch SMS ("OK 123456", optionally with
// an answer). 46elks sends the text of the response back to the sender as
// an SMS, so every outcome is answered in words.
func (s *Server) smsInbound(w http.ResponseWriter, r *http.Request) {
	if !s.hookAllowed(r) {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	in, err := sms.ReadInbound(r)
	if err != nil {
		fe := s.report(r, err)
		http.Error(w, fe.Error(), status(fe.Code))
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	reply, err := sms.ParseReply(in.Message)
	if err == nil {
		_, err = s.svc.Dispatch.AcknowledgeBySMS(r.Context(), in.From, reply.Code, reply.Rest)
	}
	if err != nil {
		fe := s.report(r, err)
		s.log.Info("sms reply refused", "field", fe.Field, "reason", fe.Message)
		if fe.Code == fail.Internal {
			w.WriteHeader(http.StatusInternalServerError)
		}
		if fe.Code == fail.TooMany { // a guesser, or a unit that mistyped five times: the link still works
			w.Write([]byte(T(Swedish, "sms.blocked")))
			return
		}
		w.Write([]byte("Fyr: kvittensen kunde inte registreras (" + errText(Swedish, fe) + "). Använd länken i SMS:et eller ring krisledningen."))
		return
	}
	w.Write([]byte("Fyr: tack, kvittensen är registrerad."))
}

// EnableWebhookReceipts turns on POST /hooks/webhook/receipt, where a
// unit's own system acknowledges a dispatch its webhook brought. The
// request is signed like the webhooks Fyr sends (Fyr-Signature, HMAC-SHA256
// with the shared secret); an unsigned, wrongly signed, stale or replayed
// request changes nothing.
func (s *Server) EnableWebhookReceipts(secret []byte) {
	v := &webhook.Verifier{Secrets: [][]byte{secret}, Now: s.svc.Now, MaxBody: 64 << 10}
	s.mux.HandleFunc("POST /hooks/webhook/receipt", func(w http.ResponseWriter, r *http.Request) {
		st, err := s.webhookReceipt(r, v)
		if err != nil {
			fe := s.report(r, err)
			s.log.Info("webhook receipt refused", "field", fe.Field, "reason", fe.Message)
			writeJSON(w, status(fe.Code), errorResponse{*fe})
			return
		}
		writeJSON(w, http.StatusOK, st)
	})
}

func (s *Server) webhookReceipt(r *http.Request, v *webhook.Verifier) (dispatch.UnitState, error) {
	body, err := v.Request(r)
	if err != nil {
		return dispatch.UnitState{}, err
	}
	var rec dispatch.WebhookReceipt
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec); err != nil {
		return dispatch.UnitState{}, jsonError(err, body)
	}
	return s.svc.Dispatch.AcknowledgeByWebhook(r.Context(), rec)
}
