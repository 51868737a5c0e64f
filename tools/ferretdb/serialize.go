package main

// FerretDB 1.x runs an update (update, findAndModify, delete) as a query
// followed by a separate write of each matched document by _id. Two
// concurrent conditional updates of one document can therefore both match
// and both be written, the later overwriting the earlier: a guarded update
// such as {runId, version: 3} is not a compare-and-set, and MongoDB's
// single-document atomicity, on which TextOps' optimistic concurrency rests,
// does not hold. The proxy below restores it by letting only one write
// command per collection reach FerretDB at a time. Reads pass freely.

import (
	"encoding/binary"
	"errors"
	"io"
	"log"
	"net"
	"sync"

	"go.mongodb.org/mongo-driver/x/bsonx/bsoncore"
)

const (
	opMsg          = 2013
	headerLen      = 16
	maxMessageLen  = 48 * 1024 * 1024
	flagMoreToCome = 1 << 1
)

var writeCommands = map[string]bool{
	"insert": true, "update": true, "delete": true, "findAndModify": true, "findandmodify": true,
}

// writeLocks holds one mutex per "database.collection".
type writeLocks struct {
	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

func (w *writeLocks) get(key string) *sync.Mutex {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.locks == nil {
		w.locks = map[string]*sync.Mutex{}
	}
	l, ok := w.locks[key]
	if !ok {
		l = &sync.Mutex{}
		w.locks[key] = l
	}
	return l
}

// readMessage reads one wire-protocol message, header included.
func readMessage(r io.Reader) ([]byte, error) {
	var header [headerLen]byte
	if _, err := io.ReadFull(r, header[:]); err != nil {
		return nil, err
	}
	length := int(int32(binary.LittleEndian.Uint32(header[0:4])))
	if length < headerLen || length > maxMessageLen {
		return nil, errors.New("malformed message length")
	}
	msg := make([]byte, length)
	copy(msg, header[:])
	if _, err := io.ReadFull(r, msg[headerLen:]); err != nil {
		return nil, err
	}
	return msg, nil
}

func requestID(msg []byte) int32  { return int32(binary.LittleEndian.Uint32(msg[4:8])) }
func responseTo(msg []byte) int32 { return int32(binary.LittleEndian.Uint32(msg[8:12])) }

// writeTarget says which collection a write command with an answer changes;
// ok is false for everything else (reads, fire-and-forget writes, other opcodes).
func writeTarget(msg []byte) (key string, ok bool) {
	if len(msg) < headerLen+5 || binary.LittleEndian.Uint32(msg[12:16]) != opMsg {
		return "", false
	}
	if binary.LittleEndian.Uint32(msg[16:20])&flagMoreToCome != 0 {
		return "", false
	}
	// Sections follow the flags; the command body is the kind-0 section.
	rest := msg[20:]
	for len(rest) > 0 {
		kind := rest[0]
		rest = rest[1:]
		size, _, ok := bsoncore.ReadLength(rest)
		if !ok || size < 5 || int(size) > len(rest) {
			return "", false
		}
		if kind != 0 {
			rest = rest[size:]
			continue
		}
		body := bsoncore.Document(rest[:size])
		first, err := body.IndexErr(0)
		if err != nil || !writeCommands[first.Key()] {
			return "", false
		}
		collection, isString := first.Value().StringValueOK()
		db, hasDB := body.Lookup("$db").StringValueOK()
		if !isString || !hasDB {
			return "", false
		}
		return db + "." + collection, true
	}
	return "", false
}

// serveSerialized accepts clients on ln and relays each to FerretDB at upstream.
func serveSerialized(ln net.Listener, upstream func() (net.Conn, error)) {
	locks := &writeLocks{}
	for {
		client, err := ln.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				log.Printf("accept: %v", err)
			}
			return
		}
		go relay(client, upstream, locks)
	}
}

// relay copies one client's messages to FerretDB and the answers back. A
// write command takes its collection's lock before it is forwarded and gives
// it back when FerretDB answers it (matched by responseTo), so a client that
// goes away mid-write still holds the lock until FerretDB has finished.
func relay(client net.Conn, upstream func() (net.Conn, error), locks *writeLocks) {
	defer client.Close()
	server, err := upstream()
	if err != nil {
		log.Printf("cannot reach FerretDB: %v", err)
		return
	}
	var mu sync.Mutex
	pending := map[int32]*sync.Mutex{}
	answered := make(chan struct{})
	go func() {
		defer close(answered)
		for {
			msg, err := readMessage(server)
			if err != nil {
				break
			}
			_, _ = client.Write(msg) // a gone client still lets pending writes finish
			mu.Lock()
			if l, ok := pending[responseTo(msg)]; ok {
				delete(pending, responseTo(msg))
				l.Unlock()
			}
			mu.Unlock()
		}
		mu.Lock()
		for id, l := range pending {
			delete(pending, id)
			l.Unlock()
		}
		mu.Unlock()
	}()
	for {
		msg, err := readMessage(client)
		if err != nil {
			break
		}
		if key, ok := writeTarget(msg); ok {
			l := locks.get(key)
			l.Lock()
			mu.Lock()
			pending[requestID(msg)] = l
			mu.Unlock()
		}
		if _, err := server.Write(msg); err != nil {
			break
		}
	}
	// FerretDB answers what it has in hand, then sees the end of input.
	if c, ok := server.(interface{ CloseWrite() error }); ok {
		_ = c.CloseWrite()
	} else {
		_ = server.Close()
	}
	<-answered
	_ = server.Close()
}
