// Package curves draws a training run's learning curves, per epoch: the
// training and test loss, and the test accuracy of a classifier, side by
// side in a PNG (with gonum.org/v1/plot).
package curves

import (
	"fmt"
	"math"
	"os"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Point is what one epoch measured; NaN where nothing was.
type Point struct {
	Epoch        int // counted from 1
	TrainLoss    float64
	TestLoss     float64
	TestAccuracy float64
}

// Size of a panel, and the resolution.
const (
	panelWidth  = 5 * vg.Inch
	panelHeight = 3.5 * vg.Inch
	dpi         = 96
)

// WritePNG draws the curves of points into a PNG file at path: a loss
// panel, and an accuracy panel when some accuracy was measured.
func WritePNG(path, title string, points []Point) error {
	if len(points) == 0 {
		return fmt.Errorf("curves: %s: no epochs to draw", path)
	}
	panels := []*plot.Plot{lossPanel(title, points)}
	if accuracy := series(points, func(p Point) float64 { return p.TestAccuracy }); len(accuracy) > 0 {
		panels = append(panels, panel(title+": accuracy", "test accuracy", named{"test", accuracy}))
	}
	img := vgimg.NewWith(vgimg.UseWH(panelWidth*vg.Length(len(panels)), panelHeight), vgimg.UseDPI(dpi))
	canvases := plot.Align([][]*plot.Plot{panels}, draw.Tiles{Rows: 1, Cols: len(panels)}, draw.New(img))
	for i, p := range panels {
		p.Draw(canvases[0][i])
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("curves: %s: %w", path, err)
	}
	return f.Close()
}

// lossPanel plots the training loss and, if measured, the test loss.
func lossPanel(title string, points []Point) *plot.Plot {
	lines := []named{{"training", series(points, func(p Point) float64 { return p.TrainLoss })}}
	if test := series(points, func(p Point) float64 { return p.TestLoss }); len(test) > 0 {
		lines = append(lines, named{"test", test})
	}
	return panel(title+": loss", "loss", lines...)
}

// named is a curve and its legend.
type named struct {
	name string
	xys  plotter.XYs
}

// panel returns a plot of the curves against the epoch.
func panel(title, yLabel string, curves ...named) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "epoch"
	p.Y.Label.Text = yLabel
	p.Add(plotter.NewGrid())
	p.Legend.Top = true // losses fall, away from the top right
	for i, c := range curves {
		line, points, err := plotter.NewLinePoints(c.xys)
		if err != nil {
			continue // no finite point: nothing to draw
		}
		line.Color, points.Color = plotutil.Color(i), plotutil.Color(i)
		points.Shape = draw.CircleGlyph{}
		points.Radius = vg.Points(2)
		p.Add(line, points)
		if len(curves) > 1 {
			p.Legend.Add(c.name, line, points)
		}
	}
	return p
}

// series returns (epoch, value) for the points whose value is a number.
func series(points []Point, value func(Point) float64) plotter.XYs {
	var xys plotter.XYs
	for _, p := range points {
		if v := value(p); !math.IsNaN(v) && !math.IsInf(v, 0) {
			xys = append(xys, plotter.XY{X: float64(p.Epoch), Y: v})
		}
	}
	return xys
}
