package directory

import "fyr/internal/fail"

// ReadCSV reads an import file the way the directory's imports do, for the
// imports of other capabilities (the continuity registry): UTF-8 with or
// without a byte-order mark, ',' or ';', the header's columns in any order.
// Problems of single rows go to problems; row gets every other non-empty
// row with its line number and its cells by column name. An error means
// the file as a whole cannot be read (see ImportError).
func ReadCSV(data []byte, file string, columns, optional []string, problems *[]fail.Problem, row func(line int, cell map[string]string)) error {
	return readCSV(data, file, columns, optional, problems, row)
}
