package main

import (
	"fmt"
	"log/slog"
	"net/url"
	"strconv"

	"fyr/internal/channel/email"
	"fyr/internal/channel/sms"
	"fyr/internal/core"
	"fyr/internal/dispatch"
)

// transports builds the channel adapters the environment configures.
// In-app needs none; e-mail and SMS are on when their server is named.
func transports(getenv func(string) string, publicURL string, logger *slog.Logger) (map[string]core.Transport, error) {
	out := map[string]core.Transport{}
	if host := getenv("FYR_SMTP_HOST"); host != "" {
		port := 0
		if p := getenv("FYR_SMTP_PORT"); p != "" {
			n, err := strconv.Atoi(p)
			if err != nil {
				return nil, fmt.Errorf("FYR_SMTP_PORT: %q is not a port number", p)
			}
			port = n
		}
		s, err := email.New(email.Config{Host: host, Port: port, Username: getenv("FYR_SMTP_USER"), Password: getenv("FYR_SMTP_PASSWORD"),
			TLS: email.TLSMode(getenv("FYR_SMTP_TLS")), From: getenv("FYR_SMTP_FROM"), FromName: "Fyr", Logger: logger})
		if err != nil {
			return nil, fmt.Errorf("e-mail channel: %w", err)
		}
		out[dispatch.Email] = core.ChannelTransport{Sender: s}
	}
	var gateways []sms.Gateway
	for i, prefix := range []string{"FYR_SMS_", "FYR_SMS2_"} {
		if u := getenv(prefix + "URL"); u != "" {
			g := sms.Gateway{Name: fmt.Sprintf("sms-%d", i+1), URL: u, Username: getenv(prefix + "USER"),
				Password: getenv(prefix + "PASSWORD"), From: getenv("FYR_SMS_FROM")}
			if key := getenv("FYR_HOOK_KEY"); key != "" {
				g.DeliveryURL = publicURL + "/hooks/sms/delivery?key=" + url.QueryEscape(key)
			}
			gateways = append(gateways, g)
		}
	}
	if len(gateways) > 0 {
		c, err := sms.New(sms.Config{Gateways: gateways, DontLog: true, Logger: logger})
		if err != nil {
			return nil, fmt.Errorf("SMS channel: %w", err)
		}
		out[dispatch.SMS] = core.ChannelTransport{Sender: c}
	}
	return out, nil
}
