// Command ferretdb runs FerretDB 1.x with its SQLite backend, embedded as a
// library, so that tests and local runs have a MongoDB-speaking server on
// machines without Docker. Data lives in the directory given by -data.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof" // profiles on -pprof, for finding where the server's time goes
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// synchronous(normal) is SQLite's setting for WAL mode: a commit is safe
// against a crash of this process (kill -9 included) and reaches the disk at
// the next checkpoint, not on every commit; an operating-system crash may
// lose the last commits, never corrupt the database. That is what MongoDB's
// default write concern promises too (acknowledged before the journal is
// flushed). FerretDB's default (full) made every single write wait for an
// fsync.
const sqlitePragmas = "_pragma=synchronous(normal)"

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	data := flag.String("data", "./data", "directory for the SQLite files")
	pprof := flag.String("pprof", "", "address for Go's profiling endpoints (/debug/pprof/), off when empty")
	flag.Parse()

	if os.Getenv("GOGC") == "" {
		// Every request parses whole documents into short-lived garbage; the
		// default (100) spent a sixth of the server's CPU collecting it.
		debug.SetGCPercent(400)
	}
	if *pprof != "" {
		go func() { log.Printf("profiling endpoints: %v", http.ListenAndServe(*pprof, nil)) }()
	}

	if err := os.MkdirAll(*data, 0o755); err != nil {
		log.Fatalf("cannot create data directory %s: %v", *data, err)
	}

	// FerretDB itself listens on a private socket; clients reach it through
	// the proxy in serialize.go, which makes single-document writes atomic.
	// The socket sits beside the data (one left by a killed server is replaced),
	// unless that path is too long for a Unix socket.
	socket := filepath.Join(*data, "ferretdb.sock")
	if len(socket) > 100 {
		socket = filepath.Join(os.TempDir(), fmt.Sprintf("textops-ferretdb-%d.sock", os.Getpid()))
	}
	_ = os.Remove(socket)
	defer os.Remove(socket)

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{Unix: socket},
		Handler:   "sqlite",
		SQLiteURL: "file:" + *data + "/?" + sqlitePragmas,
	})
	if err != nil {
		log.Fatalf("cannot configure FerretDB: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	stopped := make(chan error, 1)
	go func() { stopped <- f.Run(ctx) }()
	if err := awaitSocket(socket, stopped); err != nil {
		log.Fatalf("FerretDB did not start: %v", err)
	}

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatalf("cannot listen on %s: %v", *listen, err)
	}
	go serveSerialized(ln, func() (net.Conn, error) { return net.Dial("unix", socket) })

	log.Printf("FerretDB listening on %s, data in %s", *listen, *data)
	err = <-stopped
	_ = ln.Close()
	if err != nil && ctx.Err() == nil {
		log.Fatalf("FerretDB stopped: %v", err)
	}
}

// awaitSocket waits (at most 60 s) until FerretDB accepts on its socket.
func awaitSocket(socket string, stopped <-chan error) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		conn, err := net.Dial("unix", socket)
		if err == nil {
			return conn.Close()
		}
		select {
		case runErr := <-stopped:
			return fmt.Errorf("FerretDB exited: %v", runErr)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no answer on %s: %v", socket, err)
		}
	}
}
