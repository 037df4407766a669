// Command cdstack reconciles a YAML stack file with the CapitalOnline cloud.
package main

import (
	"os"

	"github.com/cdstack/cdstack/cli"
)

func main() {
	os.Exit(cli.Main(os.Args, os.Stdin, os.Stdout, os.Stderr))
}
