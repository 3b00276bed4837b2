package main

import (
	"log/slog"
	"os"
	"time"
)

// shutdownDeadline is how long `fyr serve` may take to stop after SIGTERM,
// whatever is pending: supervisors (systemd, an operator at 03:00) wait for
// it, and a write that cannot finish must not hold the process.
const shutdownDeadline = 10 * time.Second

// httpGrace is the part of it that requests in progress get to finish.
const httpGrace = 5 * time.Second

// armShutdownDeadline ends the process once the deadline has passed since
// the signal, saying so; the returned function disarms it after a clean stop.
func armShutdownDeadline(logger *slog.Logger, since time.Time) (disarm func() bool) {
	t := time.AfterFunc(shutdownDeadline-time.Since(since), func() {
		logger.Error("shutdown deadline passed: exiting with work still pending", "deadline_s", int(shutdownDeadline/time.Second))
		os.Exit(1)
	})
	return t.Stop
}
