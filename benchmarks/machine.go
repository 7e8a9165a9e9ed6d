package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strings"
)

// machine describes where the benchmarks ran: OS and architecture, CPU
// model, CPUs, GOMAXPROCS and Go version.
func machine() string {
	return fmt.Sprintf("%s/%s, %s, %d CPUs, GOMAXPROCS %d, %s",
		runtime.GOOS, runtime.GOARCH, cpuModel(), runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version())
}

// cpuModel returns the CPU's model name from /proc/cpuinfo, where there is
// one.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "CPU model unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		switch strings.TrimSpace(key) {
		case "model name", "Model", "cpu model", "Processor":
			if v := strings.TrimSpace(val); ok && v != "" {
				return v
			}
		}
	}
	return "CPU model unknown"
}

// versions lists the versions of the modules compared, as built.
func versions() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	names := []struct{ path, name string }{
		{"github.com/nats-io/nats-server/v2", "nats-server"},
		{"github.com/nats-io/nats.go", "nats.go"},
		{"google.golang.org/grpc", "grpc"},
		{"github.com/vmihailenco/msgpack/v5", "msgpack"},
		{"github.com/tinylib/msgp", "msgp"},
	}
	parts := []string{"sockipc " + treeVersion()}
	for _, n := range names {
		for _, d := range info.Deps {
			if d.Path == n.path {
				parts = append(parts, n.name+" "+d.Version)
			}
		}
	}
	return strings.Join(parts, ", ")
}

// treeVersion names the commit of the library's tree, with "-dirty" when it
// has uncommitted changes, as git describes it; or says it is unknown.
func treeVersion() string {
	out, err := exec.Command("git", "describe", "--always", "--dirty").Output()
	if err != nil {
		return "from this tree (commit unknown)"
	}
	return "at " + strings.TrimSpace(string(out))
}
