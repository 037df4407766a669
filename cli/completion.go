package cli

import (
	"fmt"

	ucli "github.com/urfave/cli/v2"
)

func completionCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script (bash, zsh or fish)",
		ArgsUsage: "bash|zsh|fish",
		Description: "bash:  source <(cdstack completion bash)   (or save it under /etc/bash_completion.d/)\n" +
			"zsh:   cdstack completion zsh > \"${fpath[1]}/_cdstack\"\n" +
			"fish:  cdstack completion fish > ~/.config/fish/completions/cdstack.fish\n" +
			"bash and zsh ask cdstack itself what may come next, so the commands, flags and subcommands\n" +
			"they offer are always those of the cdstack they run.",
		Action: func(c *ucli.Context) error {
			switch c.Args().First() {
			case "bash":
				_, err := fmt.Fprint(c.App.Writer, bashCompletion)
				return err
			case "zsh":
				_, err := fmt.Fprint(c.App.Writer, zshCompletion)
				return err
			case "fish":
				script, err := c.App.ToFishCompletion()
				if err != nil {
					return err
				}
				_, err = fmt.Fprint(c.App.Writer, script)
				return err
			}
			return fmt.Errorf("completion: name a shell: bash, zsh or fish")
		},
	}
}

// The bash and zsh scripts run the command line typed so far with
// --generate-bash-completion, which urfave/cli answers with the words that
// may come next.
const bashCompletion = `# cdstack completion for bash: source <(cdstack completion bash)
_cdstack_complete() {
  local cur="${COMP_WORDS[COMP_CWORD]}" words
  if [[ "$cur" == -* ]]; then
    words=$("${COMP_WORDS[@]:0:COMP_CWORD}" "$cur" --generate-bash-completion 2>/dev/null)
  else
    words=$("${COMP_WORDS[@]:0:COMP_CWORD}" --generate-bash-completion 2>/dev/null)
  fi
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -o bashdefault -F _cdstack_complete cdstack
`

const zshCompletion = `#compdef cdstack
# cdstack completion for zsh: cdstack completion zsh > "${fpath[1]}/_cdstack"
_cdstack() {
  local -a candidates
  local cur="${words[CURRENT]}"
  if [[ "$cur" == -* ]]; then
    candidates=("${(@f)$("${words[@]:0:CURRENT-1}" "$cur" --generate-bash-completion 2>/dev/null)}")
  else
    candidates=("${(@f)$("${words[@]:0:CURRENT-1}" --generate-bash-completion 2>/dev/null)}")
  fi
  if [[ -n "${candidates[1]}" ]]; then
    compadd -a candidates
  else
    _files
  fi
}
compdef _cdstack cdstack
`
