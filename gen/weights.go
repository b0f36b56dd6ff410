package gen

import (
	"fmt"

	"github.com/dave/jennifer/jen"
)

// weightsFile emits MarshalBinary and UnmarshalBinary for Params.
func (e *emitter) weightsFile() *jen.File {
	f := e.newFile()
	width, bits := 4, "Float32bits"
	if e.is64() {
		width, bits = 8, "Float64bits"
	}
	total := 0
	for _, p := range e.m.Params {
		total += p.Shape.Size()
	}
	f.Comment("The weights file, little-endian:")
	f.Comment("")
	f.Comment("\tmagic   [4]byte  \"NNGN\"")
	f.Comment("\tversion uint32   1")
	f.Comment("\tdtype   byte     4 (float32) or 8 (float64)")
	f.Comment("\tlayout  uint64   FNV-1a of every parameter's name and shape")
	f.Comment("\tvalues           every parameter in Params order, row-major")
	f.Const().Defs(
		jen.Id("weightsMagic").Op("=").Lit("NNGN"),
		jen.Id("weightsVersion").Op("=").Lit(1),
		jen.Id("weightsDType").Op("=").Lit(width),
		jen.Id("weightsLayout").Uint64().Op("=").Op(fmt.Sprintf("%#016x", e.layoutHash())),
		jen.Id("weightsHeader").Op("=").Lit(17),
		jen.Id("weightsSize").Op("=").Id("weightsHeader").Op("+").Lit(width*total),
	)
	f.Line()
	e.emitMarshal(f, width, bits)
	e.emitUnmarshal(f, width)
	return f
}

// tensors is the list of every parameter of p as a flat slice.
func (e *emitter) tensors() []jen.Code {
	var out []jen.Code
	for _, p := range e.m.Params {
		field := jen.Id("p").Dot(p.Name)
		switch len(p.Shape) {
		case 0:
			out = append(out, e.unsafeView(jen.Op("&").Add(field), 1).Index(jen.Empty(), jen.Empty()))
		case 1:
			out = append(out, field.Index(jen.Empty(), jen.Empty()))
		default:
			out = append(out, e.flatView(field, p.Shape).Index(jen.Empty(), jen.Empty()))
		}
	}
	return out
}

func (e *emitter) emitMarshal(f *jen.File, width int, bits string) {
	le := jen.Qual("encoding/binary", "LittleEndian")
	appendFn := map[int]string{4: "AppendUint32", 8: "AppendUint64"}[width]
	f.Comment("MarshalBinary encodes the parameters as a versioned weights file.")
	f.Func().Params(jen.Id("p").Op("*").Id("Params")).Id("MarshalBinary").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Id("buf").Op(":=").Make(jen.Index().Byte(), jen.Id("weightsHeader"), jen.Id("weightsSize")),
		jen.Copy(jen.Id("buf"), jen.Id("weightsMagic")),
		le.Clone().Dot("PutUint32").Call(jen.Id("buf").Index(jen.Lit(4), jen.Empty()), jen.Id("weightsVersion")),
		jen.Id("buf").Index(jen.Lit(8)).Op("=").Id("weightsDType"),
		le.Clone().Dot("PutUint64").Call(jen.Id("buf").Index(jen.Lit(9), jen.Empty()), jen.Id("weightsLayout")),
		jen.For(jen.List(jen.Id("_"), jen.Id("t")).Op(":=").Range().Index().Index().Add(e.T()).Values(e.tensors()...)).Block(
			jen.For(jen.List(jen.Id("_"), jen.Id("v")).Op(":=").Range().Id("t")).Block(
				jen.Id("buf").Op("=").Add(le.Clone()).Dot(appendFn).Call(jen.Id("buf"), jen.Qual("math", bits).Call(jen.Id("v"))))),
		jen.Return(jen.Id("buf"), jen.Nil()),
	)
	f.Line()
}

func (e *emitter) emitUnmarshal(f *jen.File, width int) {
	le := jen.Qual("encoding/binary", "LittleEndian")
	get := map[int]string{4: "Uint32", 8: "Uint64"}[width]
	from := map[int]string{4: "Float32frombits", 8: "Float64frombits"}[width]
	errf := func(format string, args ...jen.Code) jen.Code {
		return jen.Return(jen.Qual("fmt", "Errorf").Call(append([]jen.Code{jen.Lit(format)}, args...)...))
	}
	d := jen.Id("data")
	f.Comment("UnmarshalBinary decodes a weights file written by MarshalBinary. It refuses, leaving p unchanged,")
	f.Comment("a file that is not a weights file, of another version, dtype or network, truncated or too long.")
	f.Func().Params(jen.Id("p").Op("*").Id("Params")).Id("UnmarshalBinary").Params(d.Clone().Index().Byte()).Error().Block(
		jen.If(jen.Len(d).Op("<").Id("weightsHeader").Op("||").String().Call(d.Clone().Index(jen.Empty(), jen.Lit(4))).Op("!=").Id("weightsMagic")).Block(
			errf("weights: not an nngen weights file")),
		jen.If(jen.Id("v").Op(":=").Add(le.Clone()).Dot("Uint32").Call(d.Clone().Index(jen.Lit(4), jen.Empty())), jen.Id("v").Op("!=").Id("weightsVersion")).Block(
			errf("weights: file version %d, want %d", jen.Id("v"), jen.Id("weightsVersion"))),
		jen.If(d.Clone().Index(jen.Lit(8)).Op("!=").Id("weightsDType")).Block(
			errf("weights: file's element size is %d bytes, want %d ("+e.m.DType.String()+"): wrong dtype", d.Clone().Index(jen.Lit(8)), jen.Id("weightsDType"))),
		jen.If(jen.Id("h").Op(":=").Add(le.Clone()).Dot("Uint64").Call(d.Clone().Index(jen.Lit(9), jen.Empty())), jen.Id("h").Op("!=").Id("weightsLayout")).Block(
			errf("weights: file is for another network (layout %#016x, want %#016x)", jen.Id("h"), jen.Id("weightsLayout"))),
		jen.If(jen.Len(d).Op("!=").Id("weightsSize")).Block(
			errf("weights: file has %d bytes, want %d (truncated or corrupt)", jen.Len(d), jen.Id("weightsSize"))),
		d.Clone().Op("=").Add(d.Clone()).Index(jen.Id("weightsHeader"), jen.Empty()),
		jen.For(jen.List(jen.Id("_"), jen.Id("t")).Op(":=").Range().Index().Index().Add(e.T()).Values(e.tensors()...)).Block(
			jen.For(jen.Id("i").Op(":=").Range().Id("t")).Block(
				jen.Id("t").Index(jen.Id("i")).Op("=").Qual("math", from).Call(le.Clone().Dot(get).Call(d)),
				d.Clone().Op("=").Add(d.Clone()).Index(jen.Lit(width), jen.Empty()))),
		jen.Return(jen.Nil()),
	)
}
