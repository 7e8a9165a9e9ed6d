// Package uuid makes random (version 4) UUIDs, the client ids of sockipc.
package uuid

import (
	"crypto/rand"
	"encoding/hex"
)

// NewV4 returns a random UUID in its canonical form: 36 lowercase
// hexadecimal digits and hyphens, version 4, RFC 9562 variant.
func NewV4() string {
	var u [16]byte
	_, _ = rand.Read(u[:]) // crypto/rand.Read never fails
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], u[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], u[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], u[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], u[8:10])
	s[23] = '-'
	hex.Encode(s[24:], u[10:])
	return string(s[:])
}
