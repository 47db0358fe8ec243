package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
)

// Azurite's well-known development account, as its documentation gives it.
const (
	azureAccount = "devstoreaccount1"
	azureKey     = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)

// server is one emulator running as a process of ours.
type server struct {
	name   string
	addr   string // 127.0.0.1:port
	cmd    *exec.Cmd
	out    *lockedBuffer // what it printed, shown when it fails
	lines  chan string   // its standard output, a line at a time
	exited chan struct{}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var (
	serversMu sync.Mutex
	servers   []*server
	pidFile   string // the servers' process ids, one a line, for tests/run.sh
)

// start runs a server program, in dir (install says how to get it), noting its process id in pidFile so
// that tests/run.sh can kill it should this program die first.
func start(name, dir, install string, argv ...string) (*server, error) {
	if fi, err := os.Stat(argv[0]); err != nil || fi.IsDir() {
		return nil, fmt.Errorf("%s: %s is missing; %s (tests/run.sh does)", name, argv[0], install)
	}
	s := &server{name: name, out: &lockedBuffer{}, lines: make(chan string, 100), exited: make(chan struct{})}
	s.cmd = exec.Command(argv[0], argv[1:]...)
	s.cmd.Dir = dir
	s.cmd.Stderr = s.out
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // dies with us
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	serversMu.Lock()
	servers = append(servers, s)
	serversMu.Unlock()
	if f, err := os.OpenFile(pidFile, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
		fmt.Fprintln(f, s.cmd.Process.Pid)
		f.Close()
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			fmt.Fprintln(s.out, sc.Text())
			select {
			case s.lines <- sc.Text():
			default:
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() {
		s.cmd.Wait()
		close(s.exited)
	}()
	return s, nil
}

// fail is an error about s that shows what it printed.
func (s *server) fail(format string, args ...any) error {
	return fmt.Errorf("%s: %s\n--- its output:\n%s", s.name, fmt.Sprintf(format, args...), s.out.String())
}

// await waits for a line of the server's output matching re and returns
// its first group.
func (s *server) await(re *regexp.Regexp) (string, error) {
	timeout := time.After(30 * time.Second)
	for {
		select {
		case line := <-s.lines:
			if m := re.FindStringSubmatch(line); m != nil {
				return m[1], nil
			}
		case <-s.exited:
			return "", s.fail("exited before it was ready (%v)", s.cmd.ProcessState)
		case <-timeout:
			return "", s.fail("printed no %q within 30 s", re)
		}
	}
}

// stopServers kills every server started and removes pidFile.
func stopServers() {
	serversMu.Lock()
	defer serversMu.Unlock()
	for _, s := range servers {
		s.cmd.Process.Kill()
		<-s.exited
	}
	servers = nil
	os.Remove(pidFile)
}

// startS3 runs tests/deploy/s3server with the bucket.
func startS3(bin, dir, bucket string) (*server, error) {
	s, err := start("S3 (tests/deploy/s3server)", dir, "build it with go build -o BIN ./tests/deploy/s3server", bin, "-addr", "127.0.0.1:0", "-bucket", bucket)
	if err != nil {
		return nil, err
	}
	s.addr, err = s.await(regexp.MustCompile(`^http://(127\.0\.0\.1:\d+)$`))
	return s, err
}

// startAzurite runs Azurite's blob service in memory and makes the
// container, readable by anyone, as a site served through a CDN is.
func startAzurite(bin, dir, container string) (*server, error) {
	s, err := start("Azure Blob (Azurite)", dir, "install it with npm ci in tests/browser", bin,
		"--blobHost", "127.0.0.1", "--blobPort", "0", "--inMemoryPersistence", "--extentMemoryLimit", "256",
		"--skipApiVersionCheck", "--loose", "--disableTelemetry", "--silent")
	if err != nil {
		return nil, err
	}
	if s.addr, err = s.await(regexp.MustCompile(`successfully listens on http://(127\.0\.0\.1:\d+)`)); err != nil {
		return s, err
	}
	cred, err := azblob.NewSharedKeyCredential(azureAccount, azureKey)
	if err != nil {
		return s, err
	}
	c, err := azblob.NewClientWithSharedKeyCredential("http://"+s.addr+"/"+azureAccount+"/", cred, nil)
	if err != nil {
		return s, err
	}
	access := azblob.PublicAccessTypeBlob
	if _, err := c.CreateContainer(context.Background(), container, &azblob.CreateContainerOptions{Access: &access}); err != nil {
		return s, s.fail("could not create the container %q: %v", container, err)
	}
	return s, nil
}

// startGCS runs fake-gcs-server in memory on a free port and makes the
// bucket. It cannot be given port 0: it would not say which port it got.
func startGCS(bin, dir, bucket string) (*server, error) {
	var last error
	for try := 0; try < 3; try++ {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		s, err := start("GCS (fake-gcs-server)", dir, "build it with GOBIN=DIR go install github.com/fsouza/fake-gcs-server@v1.56.1", bin,
			"-scheme", "http", "-host", "127.0.0.1", "-port", port, "-public-host", "127.0.0.1:"+port,
			"-backend", "memory", "-log-level", "warn")
		if err != nil {
			return nil, err
		}
		s.addr = "127.0.0.1:" + port
		if last = s.ready("/_internal/healthcheck"); last != nil {
			select {
			case <-s.exited:
				continue // the port was taken meanwhile: another
			default:
				return s, last
			}
		}
		body := strings.NewReader(fmt.Sprintf(`{"name": %q}`, bucket))
		res, err := http.Post("http://"+s.addr+"/storage/v1/b?project=otpress", "application/json", body)
		if err != nil {
			return s, s.fail("could not create the bucket %q: %v", bucket, err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return s, s.fail("could not create the bucket %q: %s", bucket, res.Status)
		}
		return s, nil
	}
	return nil, last
}

// ready waits until the server answers 200 at path.
func (s *server) ready(path string) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return s.fail("exited before it was ready (%v)", s.cmd.ProcessState)
		default:
		}
		if res, err := http.Get("http://" + s.addr + path); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return s.fail("did not answer GET %s within 30 s", path)
}

// freePort is a port free on 127.0.0.1 a moment ago.
func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	_, port, err := net.SplitHostPort(ln.Addr().String())
	return port, err
}

// absolute is path made absolute, so servers run in other folders find it.
func absolute(path string) string {
	if p, err := filepath.Abs(path); err == nil {
		return p
	}
	return path
}
