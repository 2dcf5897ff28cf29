# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_pach_global_optspecs
    string join \n q/quiet v/verbose C= color= author-name= author-email= author-date= h/help V/version
end

function __fish_pach_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_pach_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_pach_using_subcommand
    set -l cmd (__fish_pach_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c pach -n "__fish_pach_needs_command" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_needs_command" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_needs_command" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_needs_command" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_needs_command" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_needs_command" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_needs_command" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_needs_command" -s h -l help -d 'Print help'
complete -c pach -n "__fish_pach_needs_command" -s V -l version -d 'Print version'
complete -c pach -n "__fish_pach_needs_command" -f -a "init" -d 'Create an empty pach project in the current directory'
complete -c pach -n "__fish_pach_needs_command" -f -a "add" -d 'Stage files and directories for the next commit'
complete -c pach -n "__fish_pach_needs_command" -f -a "rm" -d 'Stop tracking files (and delete them, unless --cached)'
complete -c pach -n "__fish_pach_needs_command" -f -a "status" -d 'Show staged changes, changes not staged, and untracked files'
complete -c pach -n "__fish_pach_needs_command" -f -a "commit" -d 'Record the staged changes as a new commit'
complete -c pach -n "__fish_pach_needs_command" -f -a "log" -d 'Show commit history, with the code version of each commit'
complete -c pach -n "__fish_pach_needs_command" -f -a "branch" -d 'List, create or delete branches'
complete -c pach -n "__fish_pach_needs_command" -f -a "tag" -d 'List, create or delete tags'
complete -c pach -n "__fish_pach_needs_command" -f -a "checkout" -d 'Switch branches or commits, or restore paths from a commit'
complete -c pach -n "__fish_pach_needs_command" -f -a "merge" -d 'Join another branch (or any commit) into the current branch'
complete -c pach -n "__fish_pach_needs_command" -f -a "reflog" -d 'Show where HEAD or a branch has been'
complete -c pach -n "__fish_pach_needs_command" -f -a "reset" -d 'Move the current branch to another commit, and the index and files with it'
complete -c pach -n "__fish_pach_needs_command" -f -a "restore" -d 'Unstage paths, or restore files from the index or a commit'
complete -c pach -n "__fish_pach_needs_command" -f -a "revert" -d 'Make a commit that undoes an earlier one'
complete -c pach -n "__fish_pach_needs_command" -f -a "mv" -d 'Rename or move a tracked file or directory'
complete -c pach -n "__fish_pach_needs_command" -f -a "diff" -d 'Show added, modified and deleted files between versions'
complete -c pach -n "__fish_pach_needs_command" -f -a "ls" -d 'List the files of a version'
complete -c pach -n "__fish_pach_needs_command" -f -a "cat" -d 'Print a file of any version to standard output'
complete -c pach -n "__fish_pach_needs_command" -f -a "show" -d 'Show a commit: its metadata and the files it changed'
complete -c pach -n "__fish_pach_needs_command" -f -a "run" -d 'Run the stale pipeline stages of pach.toml in local Docker containers'
complete -c pach -n "__fish_pach_needs_command" -f -a "logs" -d 'Print the stored container logs of a stage'
complete -c pach -n "__fish_pach_needs_command" -f -a "provenance" -d 'Trace a file to its origins, or to everything derived from it'
complete -c pach -n "__fish_pach_needs_command" -f -a "fsck" -d 'Verify the store: re-hash every object and check every reference'
complete -c pach -n "__fish_pach_needs_command" -f -a "du" -d 'Show how much space the data takes, and what deduplication and chunking saved'
complete -c pach -n "__fish_pach_needs_command" -f -a "gc" -d 'Delete objects that nothing refers to, and what killed runs left'
complete -c pach -n "__fish_pach_needs_command" -f -a "purge" -d 'Erase file contents from every version, keeping history verifiable'
complete -c pach -n "__fish_pach_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c pach -n "__fish_pach_needs_command" -f -a "remote" -d 'Add, list, rename or remove remotes, or change their URL'
complete -c pach -n "__fish_pach_needs_command" -f -a "push" -d 'Upload a branch or tags to a remote, or delete a remote branch'
complete -c pach -n "__fish_pach_needs_command" -f -a "fetch" -d 'Download a remote\'s branches, tags and objects'
complete -c pach -n "__fish_pach_needs_command" -f -a "pull" -d 'Fetch a branch and fast-forward the local branch and working tree to it'
complete -c pach -n "__fish_pach_needs_command" -f -a "clone" -d 'Make a new project from a remote, with its default branch checked out'
complete -c pach -n "__fish_pach_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pach -n "__fish_pach_using_subcommand init" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand init" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand init" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand init" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand init" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand init" -l no-gitignore -d 'Leave .gitignore alone: no `/.pach/` line, no block of tracked paths'
complete -c pach -n "__fish_pach_using_subcommand init" -l json -d 'Print the project made as JSON'
complete -c pach -n "__fish_pach_using_subcommand init" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand init" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand add" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand add" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand add" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand add" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand add" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand add" -l json -d 'Print what was staged as JSON'
complete -c pach -n "__fish_pach_using_subcommand add" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand add" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand rm" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand rm" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand rm" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand rm" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand rm" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand rm" -l cached -d 'Keep the files in the working tree; only stop tracking them'
complete -c pach -n "__fish_pach_using_subcommand rm" -s f -l force -d 'Delete files even if they have changes that are not staged'
complete -c pach -n "__fish_pach_using_subcommand rm" -l json -d 'Print what was removed as JSON'
complete -c pach -n "__fish_pach_using_subcommand rm" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand rm" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand status" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand status" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand status" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand status" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand status" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand status" -l json -d 'Print the status as JSON'
complete -c pach -n "__fish_pach_using_subcommand status" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand status" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand commit" -s m -l message -d 'Message describing the change' -r
complete -c pach -n "__fish_pach_using_subcommand commit" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand commit" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand commit" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand commit" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand commit" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand commit" -l allow-empty -d 'Commit even if nothing changed'
complete -c pach -n "__fish_pach_using_subcommand commit" -l json -d 'Print the new commit as JSON'
complete -c pach -n "__fish_pach_using_subcommand commit" -l run -d 'Then run the stages the commit made stale (also `run_on_commit = true` in pach.toml)'
complete -c pach -n "__fish_pach_using_subcommand commit" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand commit" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand commit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand log" -s n -d 'Show at most N commits' -r
complete -c pach -n "__fish_pach_using_subcommand log" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand log" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand log" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand log" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand log" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand log" -l oneline -d 'One line per commit: short id and first line of the message'
complete -c pach -n "__fish_pach_using_subcommand log" -l json -d 'Print the commits as JSON'
complete -c pach -n "__fish_pach_using_subcommand log" -l follow -d 'Follow PATH across renames (`pach mv`)'
complete -c pach -n "__fish_pach_using_subcommand log" -l graph -d 'Draw the history as a graph, one line per commit, following every parent'
complete -c pach -n "__fish_pach_using_subcommand log" -l all -d 'Start from every ref (HEAD, branches, tags, remote-tracking branches), not one rev'
complete -c pach -n "__fish_pach_using_subcommand log" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand log" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand log" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand branch" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand branch" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand branch" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand branch" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand branch" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand branch" -s d -l delete -d 'Delete the branch NAME (never the current one)'
complete -c pach -n "__fish_pach_using_subcommand branch" -s r -l remotes -d 'List the remote-tracking branches'
complete -c pach -n "__fish_pach_using_subcommand branch" -s a -l all -d 'List local and remote-tracking branches'
complete -c pach -n "__fish_pach_using_subcommand branch" -l json -d 'Print the list as JSON'
complete -c pach -n "__fish_pach_using_subcommand branch" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand branch" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand branch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand tag" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand tag" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand tag" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand tag" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand tag" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand tag" -s d -l delete -d 'Delete the tag NAME'
complete -c pach -n "__fish_pach_using_subcommand tag" -l json -d 'Print the list as JSON'
complete -c pach -n "__fish_pach_using_subcommand tag" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand tag" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand tag" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand checkout" -s b -d 'Create a branch named B at REV (default: HEAD) and switch to it' -r
complete -c pach -n "__fish_pach_using_subcommand checkout" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand checkout" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand checkout" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand checkout" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand checkout" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand checkout" -s f -l force -d 'Discard local changes that the checkout would overwrite'
complete -c pach -n "__fish_pach_using_subcommand checkout" -l ours -d 'During a merge: put the current branch\'s version of the paths given (in place of REV) in the working tree and index; `pach add` then marks them resolved'
complete -c pach -n "__fish_pach_using_subcommand checkout" -l theirs -d 'During a merge: put the merged commit\'s version (MERGE_HEAD) of the paths given'
complete -c pach -n "__fish_pach_using_subcommand checkout" -l json -d 'Print what was switched or restored as JSON'
complete -c pach -n "__fish_pach_using_subcommand checkout" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand checkout" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand checkout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand merge" -s m -l message -d 'The merge commit\'s message (default: "Merge <rev>")' -r
complete -c pach -n "__fish_pach_using_subcommand merge" -s X -d 'Settle every conflict one way, keeping every clean change of both sides' -r -f -a "ours\t''
theirs\t''"
complete -c pach -n "__fish_pach_using_subcommand merge" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand merge" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand merge" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand merge" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand merge" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand merge" -l no-ff -d 'Make a merge commit even when a fast-forward would do'
complete -c pach -n "__fish_pach_using_subcommand merge" -l run -d 'After a clean merge, run the stages it made stale'
complete -c pach -n "__fish_pach_using_subcommand merge" -l abort -d 'Abandon the merge in progress: back to HEAD, local edits to tracked files included'
complete -c pach -n "__fish_pach_using_subcommand merge" -l json -d 'Print what happened as JSON'
complete -c pach -n "__fish_pach_using_subcommand merge" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand merge" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand merge" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand reflog" -s n -d 'Show at most N moves' -r
complete -c pach -n "__fish_pach_using_subcommand reflog" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand reflog" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand reflog" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand reflog" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand reflog" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand reflog" -l json -d 'Print the moves as JSON'
complete -c pach -n "__fish_pach_using_subcommand reflog" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand reflog" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand reflog" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand reset" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand reset" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand reset" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand reset" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand reset" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand reset" -l soft -d 'Move only the branch'
complete -c pach -n "__fish_pach_using_subcommand reset" -l mixed -d 'Also reset the index (the default)'
complete -c pach -n "__fish_pach_using_subcommand reset" -l hard -d 'Also reset the tracked files in the working tree'
complete -c pach -n "__fish_pach_using_subcommand reset" -l json -d 'Print what happened as JSON'
complete -c pach -n "__fish_pach_using_subcommand reset" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand reset" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand reset" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand restore" -l source -d 'The commit to restore from (default: the index; with --staged, HEAD)' -r
complete -c pach -n "__fish_pach_using_subcommand restore" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand restore" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand restore" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand restore" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand restore" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand restore" -l staged -d 'Reset the index entries, not the files'
complete -c pach -n "__fish_pach_using_subcommand restore" -l json -d 'Print what happened as JSON'
complete -c pach -n "__fish_pach_using_subcommand restore" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand restore" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand restore" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand revert" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand revert" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand revert" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand revert" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand revert" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand revert" -l json -d 'Print the new commit as JSON'
complete -c pach -n "__fish_pach_using_subcommand revert" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand revert" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand revert" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand mv" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand mv" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand mv" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand mv" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand mv" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand mv" -l json -d 'Print what happened as JSON'
complete -c pach -n "__fish_pach_using_subcommand mv" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand mv" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand mv" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand diff" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand diff" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand diff" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand diff" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand diff" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand diff" -l stat -d 'Print only a summary: counts and bytes added and removed'
complete -c pach -n "__fish_pach_using_subcommand diff" -l json -d 'Print the changes as JSON'
complete -c pach -n "__fish_pach_using_subcommand diff" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand diff" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand ls" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand ls" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand ls" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand ls" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand ls" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand ls" -l json -d 'Print the listing as JSON'
complete -c pach -n "__fish_pach_using_subcommand ls" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand ls" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand cat" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand cat" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand cat" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand cat" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand cat" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand cat" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand cat" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand cat" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand show" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand show" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand show" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand show" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand show" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand show" -l json -d 'Print the commit and its changes as JSON'
complete -c pach -n "__fish_pach_using_subcommand show" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand show" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand show" -s h -l help -d 'Print help'
complete -c pach -n "__fish_pach_using_subcommand run" -s j -l jobs -d 'Datums at once per stage (default: the stage\'s parallelism, else the number of cores)' -r
complete -c pach -n "__fish_pach_using_subcommand run" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand run" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand run" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand run" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand run" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand run" -l dry-run -d 'List each datum that would run and why; run nothing'
complete -c pach -n "__fish_pach_using_subcommand run" -l exit-code -d 'With --dry-run: exit 1 when any datum is stale, 0 when everything is current'
complete -c pach -n "__fish_pach_using_subcommand run" -l force -d 'Ignore the run cache: run every datum again'
complete -c pach -n "__fish_pach_using_subcommand run" -l json -d 'Print what ran as JSON'
complete -c pach -n "__fish_pach_using_subcommand run" -l watch -d 'After running, wait for new commits on the current branch and run what they make stale, until stopped'
complete -c pach -n "__fish_pach_using_subcommand run" -l verify -d 'Recompute the runs that made HEAD\'s outputs, ignoring the cache and keeping nothing, and compare every output\'s hash with the recorded one (exit 4 on any difference)'
complete -c pach -n "__fish_pach_using_subcommand run" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand run" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand logs" -l datum -d 'Only this datum (id prefix)' -r
complete -c pach -n "__fish_pach_using_subcommand logs" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand logs" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand logs" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand logs" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand logs" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand logs" -l json -d 'Print the runs and their logs as JSON (each log as text, invalid UTF-8 replaced)'
complete -c pach -n "__fish_pach_using_subcommand logs" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand logs" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand logs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand provenance" -l branch -d 'With --downstream: check presence at this branch only (default: every branch; can be repeated)' -r
complete -c pach -n "__fish_pach_using_subcommand provenance" -l depth -d 'Follow at most N runs away from the file (default: all the way)' -r
complete -c pach -n "__fish_pach_using_subcommand provenance" -l format -d 'Output format' -r -f -a "tree\t''
json\t''
dot\t''
mermaid\t''
prov-json\t''
openlineage\t''"
complete -c pach -n "__fish_pach_using_subcommand provenance" -l commit -d 'Commit-level provenance of REV: which commits each stage\'s inputs came from' -r
complete -c pach -n "__fish_pach_using_subcommand provenance" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand provenance" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand provenance" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand provenance" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand provenance" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand provenance" -l downstream -d 'Trace forward: every file derived from this one'
complete -c pach -n "__fish_pach_using_subcommand provenance" -l json -d 'Print the graph as JSON (same as --format json)'
complete -c pach -n "__fish_pach_using_subcommand provenance" -l verify -d 'Re-hash every object on the path (files, run records, logs, commits) and fail naming any that is missing or corrupt'
complete -c pach -n "__fish_pach_using_subcommand provenance" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand provenance" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand provenance" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand fsck" -l remote -d 'Check this remote\'s objects instead of the local store' -r
complete -c pach -n "__fish_pach_using_subcommand fsck" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand fsck" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand fsck" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand fsck" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand fsck" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand fsck" -l json -d 'Print the report as JSON'
complete -c pach -n "__fish_pach_using_subcommand fsck" -l repair -d 'Upload good local copies over the remote\'s damaged or missing objects'
complete -c pach -n "__fish_pach_using_subcommand fsck" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand fsck" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand fsck" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand du" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand du" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand du" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand du" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand du" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand du" -l json -d 'Print the report as JSON'
complete -c pach -n "__fish_pach_using_subcommand du" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand du" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand du" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand gc" -l grace -d 'Keep unreachable objects younger than this (e.g. 30m, 2h, 7d; 0 keeps none)' -r
complete -c pach -n "__fish_pach_using_subcommand gc" -l keep-failed -d 'Keep failed runs\' records and logs this long after they ended (default: `[gc] failed_runs` in .pach/config.toml, else 14d)' -r
complete -c pach -n "__fish_pach_using_subcommand gc" -l remote -d 'Collect remote NAME instead: condemn what its branches and tags do not reach, and delete what was condemned more than --grace ago (which must outlast any push)' -r
complete -c pach -n "__fish_pach_using_subcommand gc" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand gc" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand gc" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand gc" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand gc" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand gc" -l json -d 'Print what was removed and kept as JSON'
complete -c pach -n "__fish_pach_using_subcommand gc" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand gc" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand gc" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand purge" -l reason -d 'Why the content is purged (kept in the purge record)' -r
complete -c pach -n "__fish_pach_using_subcommand purge" -l remote -d 'With --yes, also upload the purge record to remote NAME and erase the bytes there (can be repeated)' -r
complete -c pach -n "__fish_pach_using_subcommand purge" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand purge" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand purge" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand purge" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand purge" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand purge" -l yes -d 'Purge; without it only the report is printed and nothing changes'
complete -c pach -n "__fish_pach_using_subcommand purge" -l dry-run -d 'Only print the report (the default without --yes)'
complete -c pach -n "__fish_pach_using_subcommand purge" -l derived -d 'Purge every output derived from the content too (transitively: an aggregate can carry erased data) and the logs of the runs that read it'
complete -c pach -n "__fish_pach_using_subcommand purge" -l rerun -d 'Then commit on the current branch without the purged content (deleting its working-tree copies, keeping those with local changes) and run the stale stages'
complete -c pach -n "__fish_pach_using_subcommand purge" -l list -d 'List every purge with its record'
complete -c pach -n "__fish_pach_using_subcommand purge" -l all-remotes -d 'With --yes, do what --remote does on every remote'
complete -c pach -n "__fish_pach_using_subcommand purge" -l json -d 'Print the report (or the list) as JSON'
complete -c pach -n "__fish_pach_using_subcommand purge" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand purge" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand purge" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand completions" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand completions" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand completions" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand completions" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand completions" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand completions" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand completions" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand remote; and not __fish_seen_subcommand_from add list remove rename trust-purges untrust-purges set-url help" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand remote; and not __fish_seen_subcommand_from add list remove rename trust-purges untrust-purges set-url help" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand remote; and not __fish_seen_subcommand_from add list remove rename trust-purges untrust-purges set-url help" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand remote; and not __fish_seen_subcommand_from add list remove rename trust-purges untrust-purges set-url help" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand remote; and not __fish_seen_subcommand_from add list remove rename trust-purges untrust-purges set-url help" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand remote; and not __fish_seen_subcommand_from add list remove rename trust-purges untrust-purges set-url help" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand remote; and not __fish_seen_subcommand_from add list remove rename trust-purges untrust-purges set-url help" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand remote; and not __fish_seen_subcommand_from add list remove rename trust-purges untrust-purges set-url help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand remote; and not __fish_seen_subcommand_from add list remove rename trust-purges untrust-purges set-url help" -f -a "add" -d 'Add a remote'
complete -c pach -n "__fish_pach_using_subcommand remote; and not __fish_seen_subcommand_from add list remove rename trust-purges untrust-purges set-url help" -f -a "list" -d 'List remotes'
complete -c pach -n "__fish_pach_using_subcommand remote; and not __fish_seen_subcommand_from add list remove rename trust-purges untrust-purges set-url help" -f -a "remove" -d 'Remove a remote (its remote-tracking refs go too)'
complete -c pach -n "__fish_pach_using_subcommand remote; and not __fish_seen_subcommand_from add list remove rename trust-purges untrust-purges set-url help" -f -a "rename" -d 'Rename a remote (its remote-tracking refs move too)'
complete -c pach -n "__fish_pach_using_subcommand remote; and not __fish_seen_subcommand_from add list remove rename trust-purges untrust-purges set-url help" -f -a "trust-purges" -d 'Apply the purge records fetched from a remote (a clone trusts `origin`)'
complete -c pach -n "__fish_pach_using_subcommand remote; and not __fish_seen_subcommand_from add list remove rename trust-purges untrust-purges set-url help" -f -a "untrust-purges" -d 'Stop applying the purge records fetched from a remote (they are only reported)'
complete -c pach -n "__fish_pach_using_subcommand remote; and not __fish_seen_subcommand_from add list remove rename trust-purges untrust-purges set-url help" -f -a "set-url" -d 'Change the URL of a remote (checked as `remote add` checks it)'
complete -c pach -n "__fish_pach_using_subcommand remote; and not __fish_seen_subcommand_from add list remove rename trust-purges untrust-purges set-url help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from add" -l endpoint -d 'S3 endpoint URL (e.g. http://127.0.0.1:9000)' -r
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from add" -l region -d 'S3 region' -r
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from add" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from add" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from add" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from add" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from add" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from add" -l json -d 'Print the result as JSON'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from list" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from list" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from list" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from list" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from list" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from list" -l json -d 'Print the list as JSON'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from remove" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from remove" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from remove" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from remove" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from remove" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from remove" -l json -d 'Print the result as JSON'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from rename" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from rename" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from rename" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from rename" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from rename" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from rename" -l json -d 'Print the result as JSON'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from rename" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from rename" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from rename" -s h -l help -d 'Print help'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from trust-purges" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from trust-purges" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from trust-purges" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from trust-purges" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from trust-purges" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from trust-purges" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from trust-purges" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from trust-purges" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from untrust-purges" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from untrust-purges" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from untrust-purges" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from untrust-purges" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from untrust-purges" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from untrust-purges" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from untrust-purges" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from untrust-purges" -s h -l help -d 'Print help'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from set-url" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from set-url" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from set-url" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from set-url" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from set-url" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from set-url" -l json -d 'Print the result as JSON'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from set-url" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from set-url" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from set-url" -s h -l help -d 'Print help'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a remote'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from help" -f -a "list" -d 'List remotes'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove a remote (its remote-tracking refs go too)'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from help" -f -a "rename" -d 'Rename a remote (its remote-tracking refs move too)'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from help" -f -a "trust-purges" -d 'Apply the purge records fetched from a remote (a clone trusts `origin`)'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from help" -f -a "untrust-purges" -d 'Stop applying the purge records fetched from a remote (they are only reported)'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from help" -f -a "set-url" -d 'Change the URL of a remote (checked as `remote add` checks it)'
complete -c pach -n "__fish_pach_using_subcommand remote; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pach -n "__fish_pach_using_subcommand push" -l delete -d 'Delete BRANCH on the remote (`refs/tags/X` deletes tag X)' -r
complete -c pach -n "__fish_pach_using_subcommand push" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand push" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand push" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand push" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand push" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand push" -l force -d 'Overwrite the remote branch even if it is not an ancestor, or a remote tag'
complete -c pach -n "__fish_pach_using_subcommand push" -l tags -d 'Push every local tag (none is moved on the remote without --force)'
complete -c pach -n "__fish_pach_using_subcommand push" -l json -d 'Print the result as JSON'
complete -c pach -n "__fish_pach_using_subcommand push" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand push" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand push" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand fetch" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand fetch" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand fetch" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand fetch" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand fetch" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand fetch" -l prune -d 'Drop remote-tracking branches whose branch is gone from the remote'
complete -c pach -n "__fish_pach_using_subcommand fetch" -l force -d 'Move local tags that the remote has at another commit'
complete -c pach -n "__fish_pach_using_subcommand fetch" -l purge-unpushed -d 'Apply a trusted remote\'s purge records even where a commit not pushed anywhere holds the only copy of the content'
complete -c pach -n "__fish_pach_using_subcommand fetch" -l json -d 'Print the result as JSON'
complete -c pach -n "__fish_pach_using_subcommand fetch" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand fetch" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand fetch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand pull" -l path -d 'Fetch file contents only at or under PATH, and update only that part of the tree' -r -F
complete -c pach -n "__fish_pach_using_subcommand pull" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand pull" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand pull" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand pull" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand pull" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand pull" -l merge -d 'When both sides have new commits, merge theirs into the branch (as `pach merge`)'
complete -c pach -n "__fish_pach_using_subcommand pull" -l json -d 'Print the result as JSON'
complete -c pach -n "__fish_pach_using_subcommand pull" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand pull" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand pull" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand clone" -l path -d 'Fetch file contents only at or under PATH' -r
complete -c pach -n "__fish_pach_using_subcommand clone" -s C -d 'Run as if pach was started in DIR' -r -F
complete -c pach -n "__fish_pach_using_subcommand clone" -l color -d 'When to colour output (NO_COLOR in the environment means never, for auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pach -n "__fish_pach_using_subcommand clone" -l author-name -d 'Commit author name (default: git\'s user.name, else the user name)' -r
complete -c pach -n "__fish_pach_using_subcommand clone" -l author-email -d 'Commit author email (default: git\'s user.email, else user@host)' -r
complete -c pach -n "__fish_pach_using_subcommand clone" -l author-date -d 'Commit time as Unix seconds, for reproducible commits (default: now)' -r
complete -c pach -n "__fish_pach_using_subcommand clone" -l json -d 'Print the result as JSON'
complete -c pach -n "__fish_pach_using_subcommand clone" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pach -n "__fish_pach_using_subcommand clone" -s v -l verbose -d 'Print more about what is happening (can be repeated)'
complete -c pach -n "__fish_pach_using_subcommand clone" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "init" -d 'Create an empty pach project in the current directory'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "add" -d 'Stage files and directories for the next commit'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "rm" -d 'Stop tracking files (and delete them, unless --cached)'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "status" -d 'Show staged changes, changes not staged, and untracked files'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "commit" -d 'Record the staged changes as a new commit'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "log" -d 'Show commit history, with the code version of each commit'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "branch" -d 'List, create or delete branches'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "tag" -d 'List, create or delete tags'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "checkout" -d 'Switch branches or commits, or restore paths from a commit'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "merge" -d 'Join another branch (or any commit) into the current branch'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "reflog" -d 'Show where HEAD or a branch has been'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "reset" -d 'Move the current branch to another commit, and the index and files with it'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "restore" -d 'Unstage paths, or restore files from the index or a commit'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "revert" -d 'Make a commit that undoes an earlier one'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "mv" -d 'Rename or move a tracked file or directory'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "diff" -d 'Show added, modified and deleted files between versions'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "ls" -d 'List the files of a version'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "cat" -d 'Print a file of any version to standard output'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "show" -d 'Show a commit: its metadata and the files it changed'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "run" -d 'Run the stale pipeline stages of pach.toml in local Docker containers'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "logs" -d 'Print the stored container logs of a stage'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "provenance" -d 'Trace a file to its origins, or to everything derived from it'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "fsck" -d 'Verify the store: re-hash every object and check every reference'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "du" -d 'Show how much space the data takes, and what deduplication and chunking saved'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "gc" -d 'Delete objects that nothing refers to, and what killed runs left'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "purge" -d 'Erase file contents from every version, keeping history verifiable'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "completions" -d 'Print a shell completion script'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "remote" -d 'Add, list, rename or remove remotes, or change their URL'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "push" -d 'Upload a branch or tags to a remote, or delete a remote branch'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "fetch" -d 'Download a remote\'s branches, tags and objects'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "pull" -d 'Fetch a branch and fast-forward the local branch and working tree to it'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "clone" -d 'Make a new project from a remote, with its default branch checked out'
complete -c pach -n "__fish_pach_using_subcommand help; and not __fish_seen_subcommand_from init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pach -n "__fish_pach_using_subcommand help; and __fish_seen_subcommand_from remote" -f -a "add" -d 'Add a remote'
complete -c pach -n "__fish_pach_using_subcommand help; and __fish_seen_subcommand_from remote" -f -a "list" -d 'List remotes'
complete -c pach -n "__fish_pach_using_subcommand help; and __fish_seen_subcommand_from remote" -f -a "remove" -d 'Remove a remote (its remote-tracking refs go too)'
complete -c pach -n "__fish_pach_using_subcommand help; and __fish_seen_subcommand_from remote" -f -a "rename" -d 'Rename a remote (its remote-tracking refs move too)'
complete -c pach -n "__fish_pach_using_subcommand help; and __fish_seen_subcommand_from remote" -f -a "trust-purges" -d 'Apply the purge records fetched from a remote (a clone trusts `origin`)'
complete -c pach -n "__fish_pach_using_subcommand help; and __fish_seen_subcommand_from remote" -f -a "untrust-purges" -d 'Stop applying the purge records fetched from a remote (they are only reported)'
complete -c pach -n "__fish_pach_using_subcommand help; and __fish_seen_subcommand_from remote" -f -a "set-url" -d 'Change the URL of a remote (checked as `remote add` checks it)'
