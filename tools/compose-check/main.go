// Command compose-check validates a Compose file the way `docker compose`
// does (compose-go: the Compose specification's JSON schema plus the
// loader's own checks), without a Docker engine. It prints each service's
// environment variable names as JSON, for tests that compare them with the
// configuration the code reads.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	file := "docker-compose.yml"
	if len(os.Args) > 1 {
		file = os.Args[1]
	}
	options, err := cli.NewProjectOptions([]string{file}, cli.WithOsEnv, cli.WithDotEnv)
	if err != nil {
		fail(file, err)
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		fail(file, err)
	}
	environment := map[string][]string{}
	for name, service := range project.Services {
		keys := []string{}
		for key := range service.Environment {
			keys = append(keys, key)
		}
		sort.Strings(keys)
		environment[name] = keys
	}
	out, _ := json.MarshalIndent(map[string]any{"valid": true, "environment": environment}, "", "  ")
	fmt.Println(string(out))
}

func fail(file string, err error) {
	fmt.Fprintf(os.Stderr, "compose-check: %s is not valid: %v\n", file, err)
	os.Exit(1)
}
