package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"time"

	"fyr/internal/channel"
	"fyr/internal/channel/email"
	"fyr/internal/channel/sms"
	"fyr/internal/channel/webhook"
	"fyr/internal/dispatch"
	"fyr/internal/dispatch/engine"
	dispatchui "fyr/internal/dispatch/ui"
)

// transports builds the channel adapters the environment configures, each
// watched by health. In-app needs none; e-mail and SMS are on when their
// server is named, webhooks when their signing secret is set. It returns the engine's transports and the senders (for
// test messages).
func transports(getenv func(string) string, publicURL string, health *channel.Health, logger *slog.Logger) (map[string]engine.Transport, map[string]channel.Sender, error) {
	senders := map[string]channel.Sender{}
	if host := getenv("FYR_SMTP_HOST"); host != "" {
		port := 0
		if p := getenv("FYR_SMTP_PORT"); p != "" {
			n, err := strconv.Atoi(p)
			if err != nil {
				return nil, nil, fmt.Errorf("FYR_SMTP_PORT: %q is not a port number", p)
			}
			port = n
		}
		s, err := email.New(email.Config{Host: host, Port: port, Username: getenv("FYR_SMTP_USER"), Password: getenv("FYR_SMTP_PASSWORD"),
			TLS: email.TLSMode(getenv("FYR_SMTP_TLS")), From: getenv("FYR_SMTP_FROM"), FromName: "Fyr", Logger: logger})
		if err != nil {
			return nil, nil, fmt.Errorf("e-mail channel: %w", err)
		}
		senders[dispatch.Email] = health.Wrap(s)
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
			return nil, nil, fmt.Errorf("SMS channel: %w", err)
		}
		senders[dispatch.SMS] = health.Wrap(c)
	}
	if secret := getenv("FYR_WEBHOOK_SECRET"); secret != "" {
		s, err := webhook.New(webhook.Config{Secret: []byte(secret), Logger: logger})
		if err != nil {
			return nil, nil, fmt.Errorf("webhook channel (FYR_WEBHOOK_SECRET): %w", err)
		}
		senders[dispatch.Webhook] = health.Wrap(s)
	}
	out := map[string]engine.Transport{}
	for name, s := range senders {
		out[name] = engine.ChannelTransport{Sender: s}
	}
	return out, senders, nil
}

// scheduledTests sends a test message over each channel with a test
// address, every interval, so a broken channel shows before it is needed.
func scheduledTests(ctx context.Context, chans dispatchui.Channels, every time.Duration, to map[string]string, logger *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for name, addr := range to {
			if addr == "" {
				continue
			}
			res, err := chans.SendTest(ctx, name, addr, "Fyr")
			if err == nil && !res.Handed {
				err = res.Err
			}
			if err != nil {
				logger.Warn("scheduled channel test failed", "channel", name, "err", err)
			}
		}
	}
}
