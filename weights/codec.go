package weights

// This file is copied verbatim, below its package clause, into every
// generated package as NAME_codec.go: a generated package reads and writes
// weights with exactly the code that nngen tests here and runs at generation
// time. It imports only the standard library and declares only unexported
// names.

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// tensorSpec is one tensor a network holds: its name (PyTorch's
// LAYER.weight, LAYER.bias) and its shape ([] for a scalar).
type tensorSpec struct {
	name  string
	shape []int
}

// fileTensor is one tensor found in a file: its little-endian bytes in its
// dtype (F16, BF16, F32 or F64 are read; any other is reported).
type fileTensor struct {
	name       string
	dtype      string
	shape      []int
	begin, end int // the bytes' offsets in the file's data section
	data       []byte
}

const (
	// maxHeader bounds a safetensors header, as the reference
	// implementation does: a hostile length cannot make us scan gigabytes.
	maxHeader = 100 << 20
	// maxElements bounds one tensor's element count, so byte sizes cannot
	// overflow: 2^40, or MaxInt/8 where int has 32 bits (so that the code
	// builds, and byte sizes fit, on 386 and arm).
	maxElements = min(1<<40, math.MaxInt/8)
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func elemSize(dtype string) int {
	switch dtype {
	case "F16", "BF16":
		return 2
	case "F32":
		return 4
	case "F64":
		return 8
	}
	return 0
}

func dtypeOf[T float32 | float64]() string {
	var z T
	if _, ok := any(z).(float32); ok {
		return "F32"
	}
	return "F64"
}

// numel is the element count of a shape, refused past maxElements.
func numel(shape []int) (int, error) {
	n := 1
	for _, d := range shape {
		if d < 0 || d > maxElements || (d > 0 && n > maxElements/d) {
			return 0, fmt.Errorf("shape %s is negative or too large (limit %d elements)", shapeString(shape), maxElements)
		}
		n *= d
	}
	return n, nil
}

func shapeString(s []int) string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = strconv.Itoa(d)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// sameShape compares shapes; a scalar also accepts [1], the other way
// PyTorch stores one.
func sameShape(got, want []int) bool {
	if len(want) == 0 && len(got) == 1 && got[0] == 1 {
		return true
	}
	return slices.Equal(got, want)
}

// checkFinite refuses to write a NaN or an infinity: a file that could not
// be read back.
func checkFinite[T float32 | float64](what string, ts []tensorSpec, vals [][]T) error {
	for i, v := range vals {
		for j, x := range v {
			if x-x != 0 {
				return fmt.Errorf("%s: %s[%d] is %v: not written (training diverged?)", what, ts[i].name, j, x)
			}
		}
	}
	return nil
}

// parseSafetensors splits a safetensors file into its tensors, checking the
// header's structure, every offset against the data, and that no two
// tensors share bytes. It allocates in proportion to the header only.
func parseSafetensors(data []byte) ([]fileTensor, error) {
	if len(data) < 8 {
		return nil, fmt.Errorf("safetensors: file has %d bytes, too short for a header", len(data))
	}
	n := binary.LittleEndian.Uint64(data)
	if n > maxHeader {
		return nil, fmt.Errorf("safetensors: header length %d exceeds the limit of %d bytes", n, maxHeader)
	}
	if n > uint64(len(data)-8) {
		return nil, fmt.Errorf("safetensors: header length %d runs past the end of the %d-byte file", n, len(data))
	}
	header, body := data[8:8+n], data[8+n:]
	dec := json.NewDecoder(bytes.NewReader(header))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New("safetensors: the header at offset 8 is not a JSON object")
	}
	var out []fileTensor
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("safetensors: header: %w", err)
		}
		name, _ := tok.(string)
		if seen[name] {
			return nil, fmt.Errorf("safetensors: the header names %q twice", name)
		}
		seen[name] = true
		if name == "__metadata__" {
			var meta map[string]string
			if err := dec.Decode(&meta); err != nil {
				return nil, fmt.Errorf("safetensors: __metadata__: %w", err)
			}
			continue
		}
		var entry struct {
			DType   string `json:"dtype"`
			Shape   []int  `json:"shape"`
			Offsets []int  `json:"data_offsets"`
		}
		if err := dec.Decode(&entry); err != nil {
			return nil, fmt.Errorf("safetensors: tensor %q: %w", name, err)
		}
		if entry.DType == "" || entry.Shape == nil || len(entry.Offsets) != 2 {
			return nil, fmt.Errorf("safetensors: tensor %q needs a dtype, a shape and two data_offsets", name)
		}
		count, err := numel(entry.Shape)
		if err != nil {
			return nil, fmt.Errorf("safetensors: tensor %q: %w", name, err)
		}
		b, e := entry.Offsets[0], entry.Offsets[1]
		if b < 0 || e < b || e > len(body) {
			return nil, fmt.Errorf("safetensors: tensor %q: data_offsets [%d, %d] lie outside the %d bytes of data", name, b, e, len(body))
		}
		if size := elemSize(entry.DType); size > 0 && e-b != count*size {
			return nil, fmt.Errorf("safetensors: tensor %q: %s %s needs %d bytes, data_offsets give %d",
				name, entry.DType, shapeString(entry.Shape), count*size, e-b)
		}
		out = append(out, fileTensor{name: name, dtype: entry.DType, shape: entry.Shape, begin: b, end: e, data: body[b:e:e]})
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("safetensors: header: %w", err)
	}
	if dec.InputOffset() != int64(len(bytes.TrimRight(header, " "))) {
		return nil, errors.New("safetensors: the header has bytes after its JSON object")
	}
	return out, checkOverlap(out)
}

// checkOverlap refuses two tensors that share bytes.
func checkOverlap(ts []fileTensor) error {
	order := make([]*fileTensor, 0, len(ts))
	for i := range ts {
		if ts[i].end > ts[i].begin {
			order = append(order, &ts[i])
		}
	}
	slices.SortFunc(order, func(x, y *fileTensor) int { return cmp.Compare(x.begin, y.begin) })
	for i := 1; i < len(order); i++ {
		if order[i].begin < order[i-1].end {
			return fmt.Errorf("safetensors: tensors %q and %q overlap", order[i-1].name, order[i].name)
		}
	}
	return nil
}

// encodeSafetensors writes vals[i] as tensor want[i], in that order, in the
// dtype of T, with the metadata's keys sorted: the same tensors give the
// same bytes.
func encodeSafetensors[T float32 | float64](want []tensorSpec, vals [][]T, meta map[string]string) []byte {
	quote := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	var h strings.Builder
	h.WriteString("{")
	if len(meta) > 0 {
		keys := make([]string, 0, len(meta))
		for k := range meta {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		h.WriteString(`"__metadata__":{`)
		for i, k := range keys {
			if i > 0 {
				h.WriteString(",")
			}
			h.WriteString(quote(k) + ":" + quote(meta[k]))
		}
		h.WriteString("}")
	}
	size := elemSize(dtypeOf[T]())
	off := 0
	for i, t := range want {
		if i > 0 || len(meta) > 0 {
			h.WriteString(",")
		}
		dims := make([]string, len(t.shape))
		for j, d := range t.shape {
			dims[j] = strconv.Itoa(d)
		}
		end := off + size*len(vals[i])
		fmt.Fprintf(&h, `%s:{"dtype":%q,"shape":[%s],"data_offsets":[%d,%d]}`, quote(t.name), dtypeOf[T](), strings.Join(dims, ","), off, end)
		off = end
	}
	h.WriteString("}")
	for (8+h.Len())%8 != 0 {
		h.WriteString(" ")
	}
	buf := make([]byte, 8, 8+h.Len()+off)
	binary.LittleEndian.PutUint64(buf, uint64(h.Len()))
	buf = append(buf, h.String()...)
	for _, v := range vals {
		buf = appendValues(buf, v)
	}
	return buf
}

func appendValues[T float32 | float64](buf []byte, vals []T) []byte {
	for _, v := range vals {
		switch x := any(v).(type) {
		case float32:
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(x))
		case float64:
			buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(x))
		}
	}
	return buf
}

// matchTensors finds, for each tensor the network wants, the file's tensor
// that holds it, or returns one error listing every missing, extra,
// mis-shaped or unreadable tensor. Names are matched as they are, or
//   - without a "module." prefix that every name carries (the state_dict of
//     a model wrapped in DistributedDataParallel or DataParallel);
//   - by position when no name matches at all (nn.Sequential's "0.weight",
//     "2.bias"…): the file's names in natural order (numbers compared as
//     numbers, weight before bias) against the network's, which must then
//     agree in count and in every shape.
func matchTensors(file []fileTensor, want []tensorSpec) ([]*fileTensor, error) {
	names := make([]string, len(file))
	prefixed := len(file) > 0
	for i, t := range file {
		names[i] = t.name
		prefixed = prefixed && strings.HasPrefix(t.name, "module.")
	}
	if prefixed {
		for i := range names {
			names[i] = strings.TrimPrefix(names[i], "module.")
		}
	}
	byName := map[string]int{}
	for i, n := range names {
		byName[n] = i
	}
	anyMatch := false
	for _, w := range want {
		if _, ok := byName[w.name]; ok {
			anyMatch = true
		}
	}
	var problems []string
	if !anyMatch && len(file) == len(want) {
		order := make([]int, len(file))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool { return naturalLess(names[order[a]], names[order[b]]) })
		got := make([]*fileTensor, len(want))
		for i, w := range want {
			t := &file[order[i]]
			switch {
			case !sameShape(t.shape, w.shape):
				problems = append(problems, fmt.Sprintf("by position, %s %s is %s, want %s", t.name, shapeString(t.shape), w.name, shapeString(w.shape)))
			case elemSize(t.dtype) == 0:
				problems = append(problems, fmt.Sprintf("by position, %s (for %s) has dtype %s: F16, BF16, F32 or F64 are read", t.name, w.name, t.dtype))
			}
			got[i] = t
		}
		if len(problems) == 0 {
			return got, nil
		}
		problems = append([]string{"no name matches this network's, and reading by position fails:"}, problems...)
		return nil, mismatchError(problems)
	}
	got := make([]*fileTensor, len(want))
	wanted := map[string]bool{}
	for i, w := range want {
		wanted[w.name] = true
		j, ok := byName[w.name]
		if !ok {
			problems = append(problems, fmt.Sprintf("missing %s %s", w.name, shapeString(w.shape)))
			continue
		}
		t := &file[j]
		switch {
		case !sameShape(t.shape, w.shape):
			problems = append(problems, fmt.Sprintf("%s has shape %s, want %s", w.name, shapeString(t.shape), shapeString(w.shape)))
		case elemSize(t.dtype) == 0:
			problems = append(problems, fmt.Sprintf("%s has dtype %s: F16, BF16, F32 or F64 are read", w.name, t.dtype))
		}
		got[i] = t
	}
	for i, t := range file {
		if !wanted[names[i]] {
			problems = append(problems, fmt.Sprintf("extra %s %s", t.name, shapeString(t.shape)))
		}
	}
	if len(problems) > 0 {
		if !anyMatch {
			problems = append(problems, fmt.Sprintf("(no name matches; reading by position needs %d tensors, the file has %d)", len(want), len(file)))
		}
		return nil, mismatchError(problems)
	}
	return got, nil
}

func mismatchError(problems []string) error {
	return fmt.Errorf("weights do not fit this network:\n\t%s", strings.Join(problems, "\n\t"))
}

// naturalLess orders dotted names component by component, numbers as
// numbers, and a module's weight before its bias.
func naturalLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	rank := func(s string) string {
		switch s {
		case "weight":
			return "\x00"
		case "bias":
			return "\x01"
		}
		return s
	}
	for i := 0; i < len(pa) && i < len(pb); i++ {
		x, y := pa[i], pb[i]
		if x == y {
			continue
		}
		nx, ex := strconv.Atoi(x)
		ny, ey := strconv.Atoi(y)
		if ex == nil && ey == nil {
			return nx < ny
		}
		return rank(x) < rank(y)
	}
	return len(pa) < len(pb)
}

// decodeTensors converts every matched tensor into dst (dst[i] has the
// element count of want[i]). It first checks every value, so that on an
// error dst is left as it was: a value that is not finite in T is refused.
func decodeTensors[T float32 | float64](dst [][]T, src []*fileTensor) error {
	for i, t := range src {
		for j := range dst[i] {
			if v := decodeValue[T](t, j); math.IsInf(float64(v), 0) || math.IsNaN(float64(v)) {
				return fmt.Errorf("weights: %s[%d] is %v as %s (from %s): refused", t.name, j, v, strings.ToLower(dtypeOf[T]()), t.dtype)
			}
		}
	}
	for i, t := range src {
		for j := range dst[i] {
			dst[i][j] = decodeValue[T](t, j)
		}
	}
	return nil
}

// decodeValue is element j of t converted to T.
func decodeValue[T float32 | float64](t *fileTensor, j int) T {
	d := t.data
	switch t.dtype {
	case "F16":
		return T(halfToFloat32(binary.LittleEndian.Uint16(d[2*j:])))
	case "BF16":
		return T(math.Float32frombits(uint32(binary.LittleEndian.Uint16(d[2*j:])) << 16))
	case "F32":
		return T(math.Float32frombits(binary.LittleEndian.Uint32(d[4*j:])))
	}
	return T(math.Float64frombits(binary.LittleEndian.Uint64(d[8*j:])))
}

// halfToFloat32 converts IEEE 754 binary16 exactly.
func halfToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // infinity or NaN
		return math.Float32frombits(sign | 0x7f800000 | frac<<13)
	case exp == 0: // zero or subnormal: frac · 2^−24
		v := float32(frac) * 0x1p-24
		if sign != 0 {
			v = -v
		}
		return v
	}
	return math.Float32frombits(sign | (exp+112)<<23 | frac<<13)
}

// The nngen container, little-endian, used by weights files (magic "NNGN",
// version 2) and checkpoints ("NNCK", version 1):
//
//	magic    [4]byte
//	version  uint32
//	dtype    byte      4 (float32) or 8 (float64)
//	metaLen  uint32, then metaLen bytes of text (checkpoints: the optimizer)
//	count    uint32, then per tensor: nameLen uint16, name, rank byte, rank × uint32 dims
//	values   every tensor in table order, row-major
//	crc      uint32    CRC-32C (Castagnoli) of every byte before it
//
// Version 1 weights files (no table, no checksum; an FNV-1a hash of the
// Params layout instead) are still read.
func encodeContainer[T float32 | float64](magic string, version uint32, meta string, want []tensorSpec, vals [][]T) []byte {
	size := elemSize(dtypeOf[T]())
	buf := []byte(magic)
	buf = binary.LittleEndian.AppendUint32(buf, version)
	buf = append(buf, byte(size))
	buf = binary.LittleEndian.AppendUint32(buf, uint32(len(meta)))
	buf = append(buf, meta...)
	buf = binary.LittleEndian.AppendUint32(buf, uint32(len(want)))
	for _, t := range want {
		buf = binary.LittleEndian.AppendUint16(buf, uint16(len(t.name)))
		buf = append(buf, t.name...)
		buf = append(buf, byte(len(t.shape)))
		for _, d := range t.shape {
			buf = binary.LittleEndian.AppendUint32(buf, uint32(d))
		}
	}
	for _, v := range vals {
		buf = appendValues(buf, v)
	}
	return binary.LittleEndian.AppendUint32(buf, crc32.Checksum(buf, castagnoli))
}

// parseContainer checks a container's magic, checksum, version and dtype
// and splits it into its text and tensors.
func parseContainer[T float32 | float64](data []byte, what, magic string, version uint32) (string, []fileTensor, error) {
	if len(data) < 4 || string(data[:4]) != magic {
		return "", nil, fmt.Errorf("%s: not an nngen %s (magic %q)", what, what, magic)
	}
	const fixed = 4 + 4 + 1 + 4 + 4 + 4
	if len(data) < fixed {
		return "", nil, fmt.Errorf("%s: file has %d bytes, truncated", what, len(data))
	}
	if v := binary.LittleEndian.Uint32(data[4:]); v != version {
		return "", nil, fmt.Errorf("%s: file version %d, this package reads version %d", what, v, version)
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	if got := crc32.Checksum(body, castagnoli); got != sum {
		return "", nil, fmt.Errorf("%s: checksum mismatch (CRC-32C %08x, file says %08x): the file is damaged or truncated", what, got, sum)
	}
	dtype := dtypeOf[T]()
	if int(body[8]) != elemSize(dtype) {
		return "", nil, fmt.Errorf("%s: file's element size is %d bytes, want %d (%s): wrong dtype", what, body[8], elemSize(dtype), strings.ToLower("float"+dtype[1:]))
	}
	r := reader{data: body, off: 9}
	meta := string(r.next(int(r.u32())))
	count := int(r.u32())
	var ts []fileTensor
	seen := map[string]bool{}
	for i := 0; i < count && r.err == nil; i++ {
		t := fileTensor{name: string(r.next(int(r.u16()))), dtype: dtype}
		if seen[t.name] && r.err == nil {
			return "", nil, fmt.Errorf("%s: names tensor %q twice", what, t.name)
		}
		seen[t.name] = true
		rank := int(r.byte())
		for k := 0; k < rank && r.err == nil; k++ {
			t.shape = append(t.shape, int(r.u32()))
		}
		if t.shape == nil {
			t.shape = []int{}
		}
		ts = append(ts, t)
	}
	for i := range ts {
		n, err := numel(ts[i].shape)
		if err != nil {
			return "", nil, fmt.Errorf("%s: tensor %q: %w", what, ts[i].name, err)
		}
		ts[i].begin = r.off
		ts[i].data = r.next(n * elemSize(dtype))
		ts[i].end = r.off
	}
	if r.err != nil {
		return "", nil, fmt.Errorf("%s: %w", what, r.err)
	}
	if r.off != len(body) {
		return "", nil, fmt.Errorf("%s: %d bytes after the last tensor", what, len(body)-r.off)
	}
	return meta, ts, nil
}

// reader reads a container's fields, recording the first overrun.
type reader struct {
	data []byte
	off  int
	err  error
}

func (r *reader) next(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.data)-r.off {
		r.err = fmt.Errorf("truncated at offset %d (want %d more bytes, %d left)", r.off, n, len(r.data)-r.off)
		return nil
	}
	b := r.data[r.off : r.off+n : r.off+n]
	r.off += n
	return b
}

func (r *reader) byte() byte {
	if b := r.next(1); b != nil {
		return b[0]
	}
	return 0
}

func (r *reader) u16() uint16 {
	if b := r.next(2); b != nil {
		return binary.LittleEndian.Uint16(b)
	}
	return 0
}

func (r *reader) u32() uint32 {
	if b := r.next(4); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

// parseWeightsV1 reads a version 1 weights file: a header whose layout hash
// must be the network's, then the values in table order.
func parseWeightsV1[T float32 | float64](data []byte, want []tensorSpec, layout uint64) ([]fileTensor, error) {
	const header = 17
	dtype := dtypeOf[T]()
	size := elemSize(dtype)
	if len(data) < header {
		return nil, fmt.Errorf("weights: file has %d bytes, truncated", len(data))
	}
	if int(data[8]) != size {
		return nil, fmt.Errorf("weights: file's element size is %d bytes, want %d: wrong dtype", data[8], size)
	}
	if h := binary.LittleEndian.Uint64(data[9:]); h != layout {
		return nil, fmt.Errorf("weights: version 1 file is for another network (layout %#016x, want %#016x)", h, layout)
	}
	r := reader{data: data, off: header}
	ts := make([]fileTensor, len(want))
	for i, w := range want {
		n, _ := numel(w.shape)
		ts[i] = fileTensor{name: w.name, dtype: dtype, shape: w.shape, begin: r.off, data: r.next(n * size), end: r.off}
	}
	if r.err != nil || r.off != len(data) {
		return nil, fmt.Errorf("weights: version 1 file has %d bytes, want %d (truncated or corrupt)", len(data), r.off)
	}
	return ts, nil
}

// readWeights reads an nngen weights file of either version into dst.
func readWeights[T float32 | float64](data []byte, want []tensorSpec, layoutV1 uint64, dst [][]T) error {
	if len(data) < 8 || string(data[:4]) != "NNGN" {
		return errors.New("weights: not an nngen weights file")
	}
	var ts []fileTensor
	var err error
	switch v := binary.LittleEndian.Uint32(data[4:]); v {
	case 1:
		ts, err = parseWeightsV1[T](data, want, layoutV1)
	case 2:
		_, ts, err = parseContainer[T](data, "weights", "NNGN", 2)
	default:
		return fmt.Errorf("weights: file version %d, this package reads versions 1 and 2", v)
	}
	if err != nil {
		return err
	}
	got, err := matchTensors(ts, want)
	if err != nil {
		return err
	}
	return decodeTensors(dst, got)
}

// readSafetensors reads a safetensors file into dst.
func readSafetensors[T float32 | float64](data []byte, want []tensorSpec, dst [][]T) error {
	ts, err := parseSafetensors(data)
	if err != nil {
		return err
	}
	got, err := matchTensors(ts, want)
	if err != nil {
		return err
	}
	return decodeTensors(dst, got)
}
