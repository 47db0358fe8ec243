// Command pictures measures WebP (github.com/gen2brain/webp) against Go's
// image/jpeg for issue 30's responsive pictures: bytes, encode time per
// megapixel, peak memory, SSIM against the resized original, the WebP
// quality that matches JPEG q80, the WASM runtime's first-call cost, and
// encodes from several goroutines at once. See bench/README.md, "Pictures:
// choosing a WebP encoder".
//
//	go run ./bench/pictures            # everything, a Markdown report on stdout
//	go run ./bench/pictures -quick     # one picture, two widths: the harness itself
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	gwebp "github.com/gen2brain/webp"
	"golang.org/x/image/draw"
	"golang.org/x/image/webp"
)

var (
	widthsFlag = flag.String("widths", "320,640,960,1280,1920", "widths to resize to")
	webpQ      = flag.String("webpq", "60,65,70,75,80,85,90", "WebP qualities")
	jpegQ      = flag.String("jpegq", "70,75,80,85", "JPEG qualities")
	only       = flag.String("images", "", "comma-separated subset of gophers,rose,cake,synthetic")
	reps       = flag.Int("reps", 3, "encodes timed per cell (the median is kept)")
	method     = flag.Int("method", 4, "WebP method, 0 fast … 6 small (gen2brain's default is 4)")
	grain      = flag.Float64("grain", 2, "film grain σ added to the phone-size pictures")
	quick      = flag.Bool("quick", false, "one picture at 320 and 640, one rep: the harness itself")
	mode       = flag.String("mode", "all", "all, table, startup, memory, parallel, checks (and the children: startup-child, memory-child)")
	memEnc     = flag.String("enc", "webp", "memory-child: encoder")
	memWidth   = flag.Int("width", 1920, "memory-child: width")
	memG       = flag.Int("g", 1, "memory-child: encodes at once")
)

const srcW, srcH = 4000, 3000

func main() {
	flag.Parse()
	if *quick {
		*widthsFlag, *only, *reps, *webpQ, *jpegQ = "320,640", "gophers", 1, "70,80", "80"
	}
	var err error
	switch *mode {
	case "all":
		header()
		for _, f := range []func() error{table, checks, startup, parallel, memory} {
			if err = f(); err != nil {
				break
			}
		}
	case "table":
		err = table()
	case "checks":
		err = checks()
	case "startup":
		err = startup()
	case "parallel":
		err = parallel()
	case "memory":
		err = memory()
	case "startup-child":
		err = startupChild()
	case "memory-child":
		err = memoryChild()
	default:
		err = fmt.Errorf("unknown -mode %q", *mode)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pictures:", err)
		os.Exit(1)
	}
}

func ints(s string) []int {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			fmt.Fprintln(os.Stderr, "pictures: not a number:", f)
			os.Exit(2)
		}
		out = append(out, n)
	}
	return out
}

func onlySet() map[string]bool {
	if *only == "" {
		return nil
	}
	m := map[string]bool{}
	for _, s := range strings.Split(*only, ",") {
		m[strings.TrimSpace(s)] = true
	}
	return m
}

func header() {
	cpu := ""
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "model name") {
				cpu = strings.TrimSpace(strings.SplitN(l, ":", 2)[1])
				break
			}
		}
	}
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("## Pictures: %s\n\n", time.Now().Format("2006-01-02 15:04"))
	fmt.Printf("%s, %d cores, %s, load %s; gen2brain/webp path: %s, method %d; grain σ %g\n\n",
		cpu, runtime.NumCPU(), runtime.Version(), strings.Join(strings.Fields(string(load))[:3], " "), webpPath(), *method, *grain)
}

func resize(m *image.RGBA, w int) *image.RGBA {
	h := (m.Rect.Dy()*w + m.Rect.Dx()/2) / m.Rect.Dx()
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Rect, m, m.Rect, draw.Src, nil)
	return dst
}

// cell is one encode of one picture at one width and quality.
type cell struct {
	img        string
	width, mpx float64
	enc        string
	q          int
	bytes      int
	msPerMP    float64
	ssim, psnr float64
}

func measure(e encoder, m *image.RGBA, ref plane, q, reps int) (cell, error) {
	var times []time.Duration
	var out []byte
	for i := 0; i < reps; i++ {
		t := time.Now()
		b, err := encodeBytes(e, m, q)
		if err != nil {
			return cell{}, err
		}
		times = append(times, time.Since(t))
		out = b
	}
	slices.Sort(times)
	dec, err := e.decode(bytes.NewReader(out))
	if err != nil {
		return cell{}, fmt.Errorf("%s q%d: decoding our own output: %w", e.name, q, err)
	}
	d := toRGBA(dec)
	mpx := float64(m.Rect.Dx()*m.Rect.Dy()) / 1e6
	return cell{
		width: float64(m.Rect.Dx()), mpx: mpx, enc: e.name, q: q, bytes: len(out),
		msPerMP: float64(times[len(times)/2].Microseconds()) / 1000 / mpx,
		ssim:    ssim(ref, luma(d)), psnr: psnr(m, d),
	}, nil
}

func table() error {
	t0 := time.Now()
	srcs, err := sources(srcW, srcH, *grain, onlySet())
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "sources built in %v\n", time.Since(t0).Round(time.Millisecond))
	gwebp.Init() // the WASM module compiled before any timing (see startup)
	encs := encoders(*method)
	qs := map[string][]int{"jpeg": ints(*jpegQ), "webp": ints(*webpQ)}
	var cells []cell
	var resizeMs []string
	for _, s := range srcs {
		for _, w := range ints(*widthsFlag) {
			t := time.Now()
			m := resize(s.img, w)
			resizeMs = append(resizeMs, fmt.Sprintf("%s→%d %d ms", s.name, w, time.Since(t).Milliseconds()))
			ref := luma(m)
			for _, e := range encs {
				for _, q := range qs[e.name] {
					c, err := measure(e, m, ref, q, *reps)
					if err != nil {
						return err
					}
					c.img = s.name
					cells = append(cells, c)
					fmt.Fprintf(os.Stderr, "%-9s %4d %-4s q%-3d %8d B %7.1f ms/MP SSIM %.4f PSNR %.2f\n",
						c.img, w, c.enc, q, c.bytes, c.msPerMP, c.ssim, c.psnr)
				}
			}
		}
	}
	report(srcs, cells, qs)
	fmt.Printf("Catmull-Rom resize from 4000×3000 (ms): %s.\n\n", strings.Join(resizeMs, ", "))
	fmt.Fprintf(os.Stderr, "table in %v\n", time.Since(t0).Round(time.Second))
	return nil
}

func find(cells []cell, img string, w float64, enc string, q int) (cell, bool) {
	for _, c := range cells {
		if c.img == img && c.width == w && c.enc == enc && c.q == q {
			return c, true
		}
	}
	return cell{}, false
}

func report(srcs []source, cells []cell, qs map[string][]int) {
	widths := ints(*widthsFlag)
	fmt.Printf("Pictures: %s.\n\n", func() string {
		var s []string
		for _, x := range srcs {
			s = append(s, fmt.Sprintf("%s (%s, %d×%d)", x.name, x.about, x.img.Rect.Dx(), x.img.Rect.Dy()))
		}
		return strings.Join(s, "; ")
	}())
	// 1. bytes summed over the pictures, per width; mean SSIM; median ms/MP
	fmt.Printf("Bytes summed over the %d pictures at each width, mean SSIM (luma) over all pictures and widths, median encode time per megapixel:\n\n", len(srcs))
	fmt.Print("| encoder | q |")
	for _, w := range widths {
		fmt.Printf(" %d px |", w)
	}
	fmt.Print(" mean SSIM | mean PSNR dB | ms/MP |\n|---|---|")
	for range widths {
		fmt.Print("---|")
	}
	fmt.Print("---|---|---|\n")
	for _, enc := range []string{"jpeg", "webp"} {
		for _, q := range qs[enc] {
			fmt.Printf("| %s | %d |", enc, q)
			var ss, ps float64
			var n int
			var ms []float64
			for _, w := range widths {
				sum := 0
				for _, c := range cells {
					if c.enc == enc && c.q == q && c.width == float64(w) {
						sum += c.bytes
						ss += c.ssim
						ps += c.psnr
						n++
						ms = append(ms, c.msPerMP)
					}
				}
				fmt.Printf(" %s |", kb(sum))
			}
			slices.Sort(ms)
			fmt.Printf(" %.4f | %.2f | %.0f |\n", ss/float64(n), ps/float64(n), ms[len(ms)/2])
		}
	}
	fmt.Println()
	// 2. WebP at each quality against JPEG q80, picture by picture
	const refQ = 80
	if !slices.Contains(qs["jpeg"], refQ) {
		return
	}
	fmt.Printf("Each WebP quality against JPEG q%d over the %d picture×width cells: bytes summed over all cells relative to JPEG q%d's, cells where WebP's SSIM is at least JPEG's, and the median SSIM difference:\n\n", refQ, len(srcs)*len(widths), refQ)
	fmt.Print("| WebP q | bytes vs JPEG q80 | cells at ≥ JPEG q80 SSIM | median ΔSSIM |\n|---|---|---|---|\n")
	for _, q := range qs["webp"] {
		var wb, jb, ok, n int
		var ds []float64
		for _, c := range cells {
			if c.enc != "webp" || c.q != q {
				continue
			}
			j, found := find(cells, c.img, c.width, "jpeg", refQ)
			if !found {
				continue
			}
			wb += c.bytes
			jb += j.bytes
			n++
			if c.ssim >= j.ssim {
				ok++
			}
			ds = append(ds, c.ssim-j.ssim)
		}
		slices.Sort(ds)
		fmt.Printf("| %d | %+.0f%% | %d of %d | %+.4f |\n", q, 100*(float64(wb)/float64(jb)-1), ok, n, ds[len(ds)/2])
	}
	fmt.Println()
	// 3. the WebP quality that matches JPEG q80's SSIM, per picture and width
	fmt.Printf("The WebP quality that matches JPEG q%d's SSIM in each cell (linear between the measured qualities), and its bytes against JPEG q%d's:\n\n", refQ, refQ)
	fmt.Print("| picture |")
	for _, w := range widths {
		fmt.Printf(" %d px |", w)
	}
	fmt.Print("\n|---|")
	for range widths {
		fmt.Print("---|")
	}
	fmt.Println()
	wq := qs["webp"]
	for _, s := range srcs {
		fmt.Printf("| %s |", s.name)
		for _, w := range widths {
			j, _ := find(cells, s.name, float64(w), "jpeg", refQ)
			matched := false
			for i := 0; i+1 < len(wq); i++ {
				a, _ := find(cells, s.name, float64(w), "webp", wq[i])
				b, _ := find(cells, s.name, float64(w), "webp", wq[i+1])
				if i == 0 && a.ssim >= j.ssim {
					fmt.Printf(" ≤ q%d: %+.0f%% |", wq[0], 100*(float64(a.bytes)/float64(j.bytes)-1))
					matched = true
					break
				}
				if a.ssim < j.ssim && b.ssim >= j.ssim {
					t := (j.ssim - a.ssim) / (b.ssim - a.ssim)
					q := float64(wq[i]) + t*float64(wq[i+1]-wq[i])
					by := float64(a.bytes) + t*float64(b.bytes-a.bytes)
					fmt.Printf(" q%.0f: %+.0f%% |", q, 100*(by/float64(j.bytes)-1))
					matched = true
					break
				}
			}
			if !matched {
				fmt.Printf(" > q%d |", wq[len(wq)-1])
			}
		}
		fmt.Println()
	}
	fmt.Println()
}

func kb(n int) string { return fmt.Sprintf("%.0f KB", float64(n)/1000) }

// checks: metadata in the outputs, reading WebP with x/image/webp.
func checks() error {
	m := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for i := range m.Pix {
		m.Pix[i] = uint8(i * 7)
	}
	wb, err := encodeBytes(encoders(*method)[1], m, 75)
	if err != nil {
		return err
	}
	ch, err := riffChunks(wb)
	if err != nil {
		return err
	}
	op := image.NewRGBA(m.Rect)
	for i := range op.Pix {
		op.Pix[i] = uint8(i * 7)
		if i%4 == 3 {
			op.Pix[i] = 255
		}
	}
	ob, err := encodeBytes(encoders(*method)[1], op, 75)
	if err != nil {
		return err
	}
	och, err := riffChunks(ob)
	if err != nil {
		return err
	}
	var jb bytes.Buffer
	if err := encoders(*method)[0].encode(&jb, m, 80); err != nil {
		return err
	}
	fmt.Printf("Metadata: a WebP from an opaque image.Image holds the chunks %s, one with transparency %s (VP8X only to flag the alpha: no EXIF, XMP or ICCP); a JPEG from image/jpeg holds the markers %s (no APPn: no JFIF, EXIF or ICC).\n\n",
		strings.Join(och, ", "), strings.Join(ch, ", "), strings.Join(jpegMarkers(jb.Bytes()), " "))
	// x/image/webp on the kinds of WebP an author might supply
	dir, err := testdataDir()
	if err != nil {
		return err
	}
	var rows []string
	for _, f := range []string{"blue-purple-pink-large.normal-filter.lossy.webp", "yellow_rose.lossy-with-alpha.webp", "yellow_rose.lossless.webp"} {
		b, err := os.ReadFile(dir + "/" + f)
		if err != nil {
			return err
		}
		t := time.Now()
		var img image.Image
		for i := 0; i < 10; i++ {
			if img, err = webp.Decode(bytes.NewReader(b)); err != nil {
				return fmt.Errorf("%s: %w", f, err)
			}
		}
		xt := time.Since(t) / 10
		t = time.Now()
		g, err := gwebp.Decode(bytes.NewReader(b))
		if err != nil {
			return err
		}
		gt := time.Since(t)
		rows = append(rows, fmt.Sprintf("%s (%d×%d, %T): x/image/webp %.1f ms, gen2brain %.1f ms, same pixels: %v",
			f, img.Bounds().Dx(), img.Bounds().Dy(), img, ms(xt), ms(gt), samePixels(img, g)))
	}
	fmt.Printf("Reading WebP input: %s.\n\n", strings.Join(rows, "; "))
	// the colours: libwebp's own conversion to RGBA (gen2brain's DecodeAll
	// asks libwebp for RGBA frames) against x/image/webp's planes read as
	// Go reads an image.YCbCr, and read as studio-range BT.601 (vp8RGBA)
	b, err := os.ReadFile(dir + "/blue-purple-pink-large.normal-filter.lossy.webp")
	if err != nil {
		return err
	}
	all, err := gwebp.DecodeAll(bytes.NewReader(b))
	if err != nil {
		return err
	}
	lib := toRGBA(all.Image[0])
	x, err := webp.Decode(bytes.NewReader(b))
	if err != nil {
		return err
	}
	fmt.Printf("Colours of a lossy WebP (PSNR against libwebp's own RGBA): x/image/webp drawn as Go draws an image.YCbCr %.1f dB, its planes read as studio-range BT.601 %.1f dB.\n\n",
		psnr(lib, toRGBA(x)), psnr(lib, vp8RGBA(x.(*image.YCbCr))))
	return nil
}

func samePixels(a, b image.Image) bool {
	ra, rb := toRGBA(a), toRGBA(b)
	return bytes.Equal(ra.Pix, rb.Pix)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func self() string {
	exe, err := os.Executable()
	if err != nil {
		panic(err)
	}
	return exe
}

// startup runs a fresh process that times the WASM runtime's first call.
func startup() error {
	out, err := exec.Command(self(), "-mode", "startup-child", "-method", strconv.Itoa(*method)).CombinedOutput()
	if err != nil {
		return fmt.Errorf("startup-child: %v\n%s", err, out)
	}
	fmt.Print(string(out))
	return nil
}

func startupChild() error {
	m := image.NewRGBA(image.Rect(0, 0, 64, 64))
	enc := encoders(*method)[1]
	t := time.Now()
	gwebp.Init()
	initT := time.Since(t)
	t = time.Now()
	if _, err := encodeBytes(enc, m, 75); err != nil {
		return err
	}
	first := time.Since(t)
	t = time.Now()
	for i := 0; i < 20; i++ {
		if _, err := encodeBytes(enc, m, 75); err != nil {
			return err
		}
	}
	next := time.Since(t) / 20
	var jb bytes.Buffer
	t = time.Now()
	for i := 0; i < 20; i++ {
		jb.Reset()
		if err := encoders(*method)[0].encode(&jb, m, 80); err != nil {
			return err
		}
	}
	jt := time.Since(t) / 20
	fmt.Printf("Startup (%s, a fresh process): webp.Init() — decompress and compile the WASM module — %.0f ms; then a 64×64 encode %.1f ms the first time, %.2f ms after (each call instantiates the module anew); image/jpeg %.3f ms.\n\n",
		webpPath(), ms(initT), ms(first), ms(next), ms(jt))
	return nil
}

// parallel encodes one picture from G goroutines at once and checks that
// every output is the same bytes as a serial encode.
func parallel() error {
	srcs, err := sources(srcW, srcH, *grain, map[string]bool{"gophers": true})
	if err != nil {
		return err
	}
	width := 1920
	if *quick {
		width = 640
	}
	m := resize(srcs[0].img, width)
	var rows []string
	for _, e := range encoders(*method) {
		want, err := encodeBytes(e, m, 75)
		if err != nil {
			return err
		}
		const n = 8
		for _, g := range []int{1, 2, 4} {
			t := time.Now()
			var wg sync.WaitGroup
			var mu sync.Mutex
			bad := 0
			for i := 0; i < g; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for j := 0; j < n/g; j++ {
						b, err := encodeBytes(e, m, 75)
						if err != nil || !bytes.Equal(b, want) {
							mu.Lock()
							bad++
							mu.Unlock()
						}
					}
				}()
			}
			wg.Wait()
			el := time.Since(t)
			rows = append(rows, fmt.Sprintf("%s %d at once: %.0f ms an encode (wall), %d of %d differ", e.name, g, ms(el/n), bad, n))
		}
	}
	fmt.Printf("Parallel encodes (%d×%d, q75, %d encodes; %d cores): %s.\n\n", m.Rect.Dx(), m.Rect.Dy(), 8, runtime.NumCPU(), strings.Join(rows, "; "))
	return nil
}

// memory runs one fresh process per encoder and width and reads the peak
// resident memory that the encode adds.
func memory() error {
	widths := []int{1920, 4000}
	if *quick {
		widths = []int{640}
	}
	var rows []string
	for _, e := range []string{"jpeg", "webp"} {
		for _, w := range widths {
			for _, g := range []int{1, 2} {
				out, err := exec.Command(self(), "-mode", "memory-child", "-enc", e, "-width", strconv.Itoa(w), "-g", strconv.Itoa(g), "-method", strconv.Itoa(*method)).CombinedOutput()
				if err != nil {
					return fmt.Errorf("memory-child: %v\n%s", err, out)
				}
				rows = append(rows, fmt.Sprintf("%s %d px ×%d: %s", e, w, g, strings.TrimSpace(string(out))))
			}
		}
	}
	fmt.Printf("Peak memory an encode adds (VmHWM after the encode less VmRSS before it, in a fresh process, after the first encode; Go heap allocated in brackets): %s.\n\n", strings.Join(rows, "; "))
	return nil
}

func memoryChild() error {
	srcs, err := sources(srcW, srcH, *grain, map[string]bool{"gophers": true})
	if err != nil {
		return err
	}
	m := srcs[0].img
	if *memWidth != srcW {
		m = resize(m, *memWidth)
	}
	srcs = nil
	var enc encoder
	for _, e := range encoders(*method) {
		if e.name == *memEnc {
			enc = e
		}
	}
	// one encode first: the WASM module compiled, its pages touched
	if _, err := encodeBytes(enc, m, 75); err != nil {
		return err
	}
	runtime.GC()
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		return fmt.Errorf("resetting the peak RSS: %w", err)
	}
	base := procKB("VmRSS")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var wg sync.WaitGroup
	for i := 0; i < *memG; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := encodeBytes(enc, m, 75); err != nil {
				panic(err)
			}
		}()
	}
	wg.Wait()
	runtime.ReadMemStats(&after)
	fmt.Printf("%.0f MB (%.0f MB)", float64(procKB("VmHWM")-base)/1000, float64(after.TotalAlloc-before.TotalAlloc)/1e6)
	return nil
}

func procKB(key string) int {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, key+":") {
			n, _ := strconv.Atoi(strings.Fields(l)[1])
			return n
		}
	}
	return 0
}
