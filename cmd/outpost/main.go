// Command outpost is the operations system for foreign missions in a
// country that has sealed itself off or is falling apart: who is still
// here, what they lack, who is safe, and how they get out.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"time"
	_ "time/tzdata" // posts set time zones such as Asia/Pyongyang on machines without zoneinfo
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, time.Now)
	stop()
	os.Exit(code)
}
