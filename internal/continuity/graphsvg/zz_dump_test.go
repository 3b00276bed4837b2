package graphsvg

import (
	"os"
	"testing"
)

func TestZZDump(t *testing.T) {
	page := func(name string, g Graph, o Options) {
		svg := Render(g, swedish, o)
		html := `<!doctype html><html lang="sv"><meta charset="utf-8"><style>body{margin:8px;font-family:sans-serif} svg{max-width:100%;height:auto}</style><body>` + string(svg) + `</body></html>`
		os.WriteFile("/tmp/gs-"+name+".html", []byte(html), 0o644)
	}
	page("k", kronoberg(), Options{})
	page("big", bigGraph(2, 30, 120), Options{MaxUnitsPerGroup: 8})
}
