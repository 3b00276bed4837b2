package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"fyr/internal/continuity"
)

// importRegistry runs `fyr import registry components FILE [dependencies
// FILE] [routines FILE]`: the CSV files are one import, all or nothing (the
// dependencies may name the components of the same import); a routines
// file (JSON, an array as the API takes them) is saved after them, all or
// nothing too. Exit codes: 0 imported, 1 not (every bad row is printed),
// 2 usage.
func importRegistry(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("import registry", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", env("FYR_DATA", "fyr-data"), "data directory (the server must be stopped; or use the API)")
	org := fs.String("org", env("FYR_ORG", ""), "organisation id (default: the only one in the log)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: fyr import registry [components FILE] [dependencies FILE] [routines FILE] --data DIR\n\n"+
			"The continuity registry. Components and dependencies are one import, all or nothing.\n"+
			"Columns (first line, any order; ',' or ';' separated, UTF-8):\n"+
			"  components:   id,kind,name[,owner,contact_name,contact_phone,criticality,max_outage,note]\n"+
			"  dependencies: from,to,type[,group,mode]\n"+
			"Routines: a JSON array of {\"id\",\"title\",\"steps\",\"owner\",\"paper_copy\",\"for\",\"needs\"}.")
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
		if (kind != continuity.FileComponents && kind != continuity.FileDependencies && kind != "routines") || names[kind] != "" {
			fmt.Fprintf(stderr, "fyr import registry: %q: name components, dependencies and routines once each\n", kind)
			return 2
		}
		names[kind] = path
		raw, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(stderr, "fyr import registry: %v\n", err)
			return 1
		}
		files[kind] = raw
	}
	var imp continuity.Import
	csvs := files[continuity.FileComponents] != nil || files[continuity.FileDependencies] != nil
	if csvs {
		if imp, err = continuity.ParseFiles(files[continuity.FileComponents], files[continuity.FileDependencies]); err != nil {
			return printProblems(stderr, err, names)
		}
	}
	svc, err := openOffline(ctx, *data, *org)
	if err != nil {
		fmt.Fprintf(stderr, "fyr import registry: %v\n", err)
		return 1
	}
	defer svc.Close()
	if csvs {
		sum, err := svc.Continuity.Import(ctx, nil, imp)
		if err != nil {
			return printProblems(stderr, err, names)
		}
		fmt.Fprintf(stdout, "imported: %d components added, %d updated; %d dependencies added, %d updated\n",
			sum.ComponentsAdded, sum.ComponentsUpdated, sum.DependenciesAdded, sum.DependenciesUpdated)
	}
	if raw := files["routines"]; raw != nil {
		n, err := svc.Continuity.ImportRoutines(ctx, nil, raw)
		if err != nil {
			fmt.Fprintf(stderr, "fyr import registry: %s: %v; no routine was saved\n", names["routines"], err)
			return 1
		}
		fmt.Fprintf(stdout, "saved: %d routines\n", n)
	}
	return 0
}
