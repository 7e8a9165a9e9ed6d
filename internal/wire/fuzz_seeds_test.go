package wire

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// fuzzSeed is one file of a seed corpus: testdata/fuzz/<fuzz>/<name>.
type fuzzSeed struct {
	fuzz, name string
	data       []byte
}

// fuzzSeeds returns the seeds derived from the golden frames, plus edge
// cases that each target should see from the start.
func fuzzSeeds(t testing.TB) []fuzzSeed {
	var seeds []fuzzSeed
	for _, c := range goldenCases {
		frame := c.frame(t)
		if c.node {
			seeds = append(seeds, fuzzSeed{"FuzzNodeDecode", "golden-" + c.name, frame[:len(frame)-2]})
			continue
		}
		seeds = append(seeds, fuzzSeed{"FuzzNativeDecode", "golden-" + c.name, frame[4:]})
		switch c.env.Kind {
		case KindHello, KindWelcome, KindReject, KindError:
			seeds = append(seeds, fuzzSeed{"FuzzHandshakeDecode", "golden-" + c.name, c.env.Payload})
		}
	}
	edge := map[string]map[string]string{
		"FuzzNativeDecode": {
			"wide-forms":     "\xdc\x00\x09\xcf\x00\x00\x00\x00\x00\x00\x00\x08\xd2\x00\x00\x00\x07\xda\x00\x01t\xd9\x00\xd3\x00\x00\x00\x00\x00\x00\x00\x01\xde\x00\x01\xa1k\xa1v\xc6\x00\x00\x00\x01\x01\xc7\x01\x05\x00\x92\xca\x00\x00\x00\x00\xc3",
			"extra-nested":   "\x98\x04\x00\xa0\xa0\x00\xc0\xc0\x81\xa1x\x91\x91\x91\xd4\x01\x02",
			"short-array":    "\x96\x04\x00\xa0\xa0\x00\xc0",
			"huge-counts":    "\x97\x04\x00\xdb\xff\xff\xff\xff",
			"kind-zero":      "\x97\x00\x00\xa0\xa0\x00\xc0\xc0",
			"negative-limit": "\x97\x08\x01\xa0\xa0\xd3\x80\x00\x00\x00\x00\x00\x00\x00\xc0\xc0",
		},
		"FuzzHandshakeDecode": {
			"unknown-keys": "\x83\xa6future\x92\x01\xc0\xa7version\xcd\x00\x02\xa4subs\xc0",
			"huge-subs":    "\x81\xa4subs\xdd\x7f\xff\xff\xff\xa0",
			"empty-map":    "\x80",
			"int-key":      "\x81\x01\x02",
		},
		"FuzzNodeDecode": {
			"no-message":   `{"topic":"x"}`,
			"null-message": ` {"topic":"","message":null} `,
			"escapes":      `{"\u0074opic":"a\u0000\ud800b","message":[1,{"a":"\u2028"}],"x":1}`,
			"not-object":   `["topic"]`,
			"bad-utf8":     "{\"topic\":\"\xff\"}",
		},
	}
	for fuzz, cases := range edge {
		for name, data := range cases {
			seeds = append(seeds, fuzzSeed{fuzz, name, []byte(data)})
		}
	}
	return seeds
}

// TestGoldenFuzzSeeds checks that the seed corpora hold the seeds above, or
// writes them with -update.
func TestGoldenFuzzSeeds(t *testing.T) {
	for _, s := range fuzzSeeds(t) {
		path := filepath.Join("testdata", "fuzz", s.fuzz, s.name)
		want := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", s.data)
		if *update {
			noErr(t, os.MkdirAll(filepath.Dir(path), 0o755), "mkdir")
			noErr(t, os.WriteFile(path, []byte(want), 0o644), "write")
		}
		got, err := os.ReadFile(path)
		noErr(t, err, "read seed")
		equal(t, string(got), want, path)
	}
}
