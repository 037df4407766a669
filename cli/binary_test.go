package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// cdstackBin is the cdstack the tests run as a process of its own (the
// scripts, the crash, outage and interrupt tests): built once per test run,
// without the race detector. A race-instrumented cdstack runs 4–5 times
// slower, and the race detector still covers every test that runs in this
// process (and the executor's own concurrent tests). CDSTACK_TEST_RACE_BINARY=1
// builds it with the race detector too.
var cdstackBin string

// buildCdstack builds cdstack into a new temporary directory.
func buildCdstack() (bin string, cleanup func(), err error) {
	dir, err := os.MkdirTemp("", "cdstack-test-bin-")
	if err != nil {
		return "", nil, err
	}
	bin = filepath.Join(dir, "cdstack")
	args := []string{"build", "-o", bin}
	if os.Getenv("CDSTACK_TEST_RACE_BINARY") == "1" {
		args = append(args, "-race")
	}
	cmd := exec.Command(goTool(), append(args, "github.com/cdstack/cdstack")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return "", nil, fmt.Errorf("building cdstack for the tests: %v\n%s", err, out)
	}
	return bin, func() { os.RemoveAll(dir) }, nil
}

// goTool is the go command that runs these tests.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}

// cdstackCommand is cdstack in dir against endpoint with the test
// credentials and env, not started.
func cdstackCommand(dir, endpoint string, env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(cdstackBin, args...)
	cmd.Dir = dir
	// Each test's commands keep their own caches: a catalogue one test's
	// emulator answered is no other test's.
	cmd.Env = append(os.Environ(), append([]string{"CDS_ENDPOINT=" + endpoint,
		"CDS_SECRET_ID=" + testKey, "CDS_SECRET_KEY=" + testSecret, "CDSTACK_CACHE_DIR=" + filepath.Join(dir, ".cdstack-cache")}, env...)...)
	return cmd
}
