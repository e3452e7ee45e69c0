// Command concord runs Concord; see "concord help".
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"concord/internal/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := app.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
