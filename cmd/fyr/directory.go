package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"fyr/internal/app"
	"fyr/internal/directory"
	"fyr/internal/fail"
	"fyr/internal/store"
)

// parseInterleaved parses flags that may come before, between or after the
// positional arguments (fyr import units FILE --data DIR).
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// openOffline opens a stopped server's data directory.
func openOffline(ctx context.Context, data, org string) (*app.App, error) {
	if org == "" {
		o, err := onlyOrg(ctx, data)
		if err != nil {
			return nil, err
		}
		org = o
	}
	svc, err := app.Open(ctx, app.Config{Dir: data, Org: org})
	if errors.Is(err, store.ErrLocked) {
		return nil, fmt.Errorf("%w: stop the server first, or use the API (/api/v1/directory/units and /people)", err)
	}
	return svc, err
}

// importDirectory runs `fyr import units|people FILE …`: every file of the
// command is one import, all or nothing. Exit codes: 0 imported, 1 nothing
// imported (every bad row is printed), 2 usage.
func importDirectory(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", env("FYR_DATA", "fyr-data"), "data directory (the server must be stopped; or use the API)")
	org := fs.String("org", env("FYR_ORG", ""), "organisation id (default: the only one in the log)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: fyr import units FILE [people FILE] --data DIR\n\n"+
			"Units and people named together are one import: units may name people of the other file as contacts.\n"+
			"Columns (first line, any order; ',' or ';' separated, UTF-8):\n"+
			"  units:  id,name,type,parent,phone,email,primary,deputies   (deputies: ids separated by '|')\n"+
			"  people: id,name,unit,function,mobile,email")
		fs.PrintDefaults()
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) == 0 || len(pos)%2 != 0 {
		fs.Usage()
		return 2
	}
	names := map[string]string{}
	files := map[string][]byte{}
	for i := 0; i < len(pos); i += 2 {
		kind, path := pos[i], pos[i+1]
		if (kind != directory.FileUnits && kind != directory.FilePeople) || names[kind] != "" {
			fmt.Fprintf(stderr, "fyr import: %q: name units and people once each\n", kind)
			return 2
		}
		names[kind] = path
		raw, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(stderr, "fyr import: %v\n", err)
			return 1
		}
		files[kind] = raw
	}
	imp, err := directory.ParseFiles(files[directory.FileUnits], files[directory.FilePeople])
	if err != nil {
		return printProblems(stderr, err, names)
	}
	svc, err := openOffline(ctx, *data, *org)
	if err != nil {
		fmt.Fprintf(stderr, "fyr import: %v\n", err)
		return 1
	}
	defer svc.Close()
	sum, err := svc.Directory.ImportDirectory(ctx, nil, imp)
	if err != nil {
		return printProblems(stderr, err, names)
	}
	fmt.Fprintf(stdout, "imported: %d units added, %d updated; %d people added, %d updated\n",
		sum.UnitsAdded, sum.UnitsUpdated, sum.PeopleAdded, sum.PeopleUpdated)
	return 0
}

// printProblems prints every bad row as FILE:LINE: FIELD: MESSAGE.
func printProblems(w io.Writer, err error, names map[string]string) int {
	fe := fail.As(err)
	if fe.Code == fail.Internal {
		fmt.Fprintf(w, "fyr import: %v\n", err)
		return 1
	}
	if len(fe.Problems) == 0 {
		fmt.Fprintf(w, "fyr import: %v\n", fe)
		return 1
	}
	fmt.Fprintf(w, "fyr import: %d problems; nothing was imported\n", len(fe.Problems))
	for _, p := range fe.Problems {
		where := names[p.File]
		if where == "" {
			where = "import"
		}
		if p.Line > 0 {
			where = fmt.Sprintf("%s:%d", where, p.Line)
		}
		fmt.Fprintf(w, "%s: %s: %s\n", where, p.Field, p.Message)
	}
	return 1
}

// exportDirectory runs `fyr export units|people`: the CSV that import reads.
func exportDirectory(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", env("FYR_DATA", "fyr-data"), "data directory (the server must be stopped; or use the API)")
	org := fs.String("org", env("FYR_ORG", ""), "organisation id (default: the only one in the log)")
	sep := fs.String("sep", ",", "cell separator: ',' or ';' (Swedish Excel)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: fyr export units|people --data DIR [--sep ';'] > FILE")
		fs.PrintDefaults()
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 1 || (pos[0] != "units" && pos[0] != "people") || (*sep != "," && *sep != ";") {
		fs.Usage()
		return 2
	}
	svc, err := openOffline(ctx, *data, *org)
	if err != nil {
		fmt.Fprintf(stderr, "fyr export: %v\n", err)
		return 1
	}
	defer svc.Close()
	w := bufio.NewWriter(stdout)
	if pos[0] == "units" {
		units, _ := svc.Directory.ExportUnits(nil)
		err = directory.WriteUnitsCSV(w, units, rune((*sep)[0]))
	} else {
		people, _ := svc.Directory.ExportPeople(nil)
		err = directory.WritePeopleCSV(w, people, rune((*sep)[0]))
	}
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		fmt.Fprintf(stderr, "fyr export: %v\n", err)
		return 1
	}
	return 0
}
