package io.peapod.cli.command;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Supplier;

/// `completion bash|zsh`: a shell completion script, as `kubectl completion` prints one, made from the
/// CLI's own verbs and flags. It completes verbs, each verb's flags, kinds, and the names of objects,
/// pods and containers by asking the daemon (`get ... -o jsonpath`), so it follows what is running.
/// zsh loads it through its bash completion layer.
public final class CompletionCommand implements CliCommand {
  private static final String KINDS = "pods deployments replicasets statefulsets daemonsets jobs secrets configmaps"
      + " events";
  private final Supplier<List<CliCommand>> commands;

  public CompletionCommand(Supplier<List<CliCommand>> commands) {
    this.commands = commands;
  }

  @Override
  public String name() {
    return "completion";
  }

  @Override
  public String usage() {
    return "peapod completion bash|zsh   (source <(peapod completion bash))";
  }

  @Override
  public String summary() {
    return "Print a shell completion script";
  }

  @Override
  public List<Flag> flags() {
    return List.of();
  }

  @Override
  public int run(ParsedArgs a, Context ctx) {
    String shell = a.positional(0, "the shell (bash or zsh)");
    if (!shell.equals("bash") && !shell.equals("zsh")) {
      throw new InvalidArgumentException("no completion for shell '" + shell + "'; peapod completes bash and zsh");
    }
    ctx.io().out().print((shell.equals("zsh") ? "autoload -U +X bashcompinit && bashcompinit\n" : "") + script());
    return 0;
  }

  /// The bash script.
  String script() {
    StringBuilder verbs = new StringBuilder();
    StringBuilder flagCases = new StringBuilder();
    TreeSet<String> valueFlags = new TreeSet<>(List.of("-n", "--namespace", "--socket"));
    for (CliCommand c : commands.get()) {
      c.flags().stream().filter(Flag::takesValue).forEach(f -> valueFlags.addAll(f.names()));
      verbs.append(c.name()).append(' ');
      TreeSet<String> names = new TreeSet<>(List.of("--namespace", "--socket", "--help"));
      c.flags().forEach(f -> names.addAll(f.names()));
      flagCases.append("    ").append(c.name()).append(") flags=\"").append(String.join(" ", names)).append("\" ;;\n");
    }
    return """
        # peapod completion for bash: source <(peapod completion bash)
        __peapod_names() {
          peapod get "$1" ${__peapod_ns:+-n "$__peapod_ns"} -o jsonpath='{.items[*].metadata.name}' 2>/dev/null
        }
        __peapod_containers() {
          peapod get pod "$1" ${__peapod_ns:+-n "$__peapod_ns"} \\
            -o jsonpath='{.spec.initContainers[*].name} {.spec.containers[*].name}' 2>/dev/null
        }
        _peapod() {
          local cur prev verb kind pod i flags
          cur="${COMP_WORDS[COMP_CWORD]}"
          prev="${COMP_WORDS[COMP_CWORD-1]}"
          __peapod_ns=""
          verb=""; kind=""; pod=""
          for ((i = 1; i < COMP_CWORD; i++)); do
            case "${COMP_WORDS[i]}" in
              -n|--namespace) __peapod_ns="${COMP_WORDS[i+1]}"; i=$((i + 1)) ;;
              --namespace=*) __peapod_ns="${COMP_WORDS[i]#--namespace=}" ;;
              %s) i=$((i + 1)) ;;
              -*) ;;
              *) if [ -z "$verb" ]; then verb="${COMP_WORDS[i]}";
                 elif [ -z "$kind" ]; then kind="${COMP_WORDS[i]}";
                 elif [ -z "$pod" ]; then pod="${COMP_WORDS[i]}"; fi ;;
            esac
          done
          if [ -z "$verb" ]; then
            COMPREPLY=($(compgen -W "%s" -- "$cur")); return
          fi
          case "$prev" in
            -f|--filename) COMPREPLY=($(compgen -f -- "$cur")); return ;;
            -o|--output) COMPREPLY=($(compgen -W "wide yaml json name jsonpath= go-template= custom-columns=" -- "$cur")); return ;;
            -c|--container)
              case "$verb" in logs|exec) COMPREPLY=($(compgen -W "$(__peapod_containers "$kind")" -- "$cur")) ;; esac
              return ;;
          esac
          if [[ "$cur" == -* ]]; then
            case "$verb" in
        %s      *) flags="--namespace --socket --help" ;;
            esac
            COMPREPLY=($(compgen -W "$flags" -- "$cur")); return
          fi
          case "$verb" in
            logs|exec|ns)
              [ -z "$kind" ] && COMPREPLY=($(compgen -W "$(__peapod_names pods)" -- "$cur")) ;;
            get|describe|delete|scale|label|annotate|top|wait)
              if [ -z "$kind" ]; then
                COMPREPLY=($(compgen -W "%s" -- "$cur"))
              elif [ -z "$pod" ]; then
                COMPREPLY=($(compgen -W "$(__peapod_names "$kind")" -- "$cur"))
              fi ;;
            rollout)
              if [ -z "$kind" ]; then
                COMPREPLY=($(compgen -W "status history undo restart" -- "$cur"))
              elif [ -z "$pod" ]; then
                local d names=""
                for d in $(__peapod_names deployments); do names="$names deployment/$d"; done
                COMPREPLY=($(compgen -W "$names" -- "$cur"))
              fi ;;
            completion) COMPREPLY=($(compgen -W "bash zsh" -- "$cur")) ;;
          esac
        }
        complete -F _peapod peapod
        """.formatted(String.join("|", valueFlags), verbs.toString().trim(), flagCases, KINDS);
  }
}
