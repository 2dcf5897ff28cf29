
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'pach' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'pach'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'pach' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create an empty pach project in the current directory')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Stage files and directories for the next commit')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Stop tracking files (and delete them, unless --cached)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show staged changes, changes not staged, and untracked files')
            [CompletionResult]::new('commit', 'commit', [CompletionResultType]::ParameterValue, 'Record the staged changes as a new commit')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show commit history, with the code version of each commit')
            [CompletionResult]::new('branch', 'branch', [CompletionResultType]::ParameterValue, 'List, create or delete branches')
            [CompletionResult]::new('tag', 'tag', [CompletionResultType]::ParameterValue, 'List, create or delete tags')
            [CompletionResult]::new('checkout', 'checkout', [CompletionResultType]::ParameterValue, 'Switch branches or commits, or restore paths from a commit')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Join another branch (or any commit) into the current branch')
            [CompletionResult]::new('reflog', 'reflog', [CompletionResultType]::ParameterValue, 'Show where HEAD or a branch has been')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Move the current branch to another commit, and the index and files with it')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Unstage paths, or restore files from the index or a commit')
            [CompletionResult]::new('revert', 'revert', [CompletionResultType]::ParameterValue, 'Make a commit that undoes an earlier one')
            [CompletionResult]::new('mv', 'mv', [CompletionResultType]::ParameterValue, 'Rename or move a tracked file or directory')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show added, modified and deleted files between versions')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the files of a version')
            [CompletionResult]::new('cat', 'cat', [CompletionResultType]::ParameterValue, 'Print a file of any version to standard output')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a commit: its metadata and the files it changed')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run the stale pipeline stages of pach.toml in local Docker containers')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print the stored container logs of a stage')
            [CompletionResult]::new('provenance', 'provenance', [CompletionResultType]::ParameterValue, 'Trace a file to its origins, or to everything derived from it')
            [CompletionResult]::new('fsck', 'fsck', [CompletionResultType]::ParameterValue, 'Verify the store: re-hash every object and check every reference')
            [CompletionResult]::new('du', 'du', [CompletionResultType]::ParameterValue, 'Show how much space the data takes, and what deduplication and chunking saved')
            [CompletionResult]::new('gc', 'gc', [CompletionResultType]::ParameterValue, 'Delete objects that nothing refers to, and what killed runs left')
            [CompletionResult]::new('purge', 'purge', [CompletionResultType]::ParameterValue, 'Erase file contents from every version, keeping history verifiable')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('remote', 'remote', [CompletionResultType]::ParameterValue, 'Add, list, rename or remove remotes, or change their URL')
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Upload a branch or tags to a remote, or delete a remote branch')
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Download a remote''s branches, tags and objects')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Fetch a branch and fast-forward the local branch and working tree to it')
            [CompletionResult]::new('clone', 'clone', [CompletionResultType]::ParameterValue, 'Make a new project from a remote, with its default branch checked out')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pach;init' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--no-gitignore', '--no-gitignore', [CompletionResultType]::ParameterName, 'Leave .gitignore alone: no `/.pach/` line, no block of tracked paths')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the project made as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;add' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print what was staged as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;rm' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--cached', '--cached', [CompletionResultType]::ParameterName, 'Keep the files in the working tree; only stop tracking them')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Delete files even if they have changes that are not staged')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Delete files even if they have changes that are not staged')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print what was removed as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;status' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the status as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;commit' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Message describing the change')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'Message describing the change')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--allow-empty', '--allow-empty', [CompletionResultType]::ParameterName, 'Commit even if nothing changed')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the new commit as JSON')
            [CompletionResult]::new('--run', '--run', [CompletionResultType]::ParameterName, 'Then run the stages the commit made stale (also `run_on_commit = true` in pach.toml)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;log' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Show at most N commits')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--oneline', '--oneline', [CompletionResultType]::ParameterName, 'One line per commit: short id and first line of the message')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the commits as JSON')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Follow PATH across renames (`pach mv`)')
            [CompletionResult]::new('--graph', '--graph', [CompletionResultType]::ParameterName, 'Draw the history as a graph, one line per commit, following every parent')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Start from every ref (HEAD, branches, tags, remote-tracking branches), not one rev')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;branch' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Delete the branch NAME (never the current one)')
            [CompletionResult]::new('--delete', '--delete', [CompletionResultType]::ParameterName, 'Delete the branch NAME (never the current one)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'List the remote-tracking branches')
            [CompletionResult]::new('--remotes', '--remotes', [CompletionResultType]::ParameterName, 'List the remote-tracking branches')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'List local and remote-tracking branches')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'List local and remote-tracking branches')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the list as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;tag' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Delete the tag NAME')
            [CompletionResult]::new('--delete', '--delete', [CompletionResultType]::ParameterName, 'Delete the tag NAME')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the list as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;checkout' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Create a branch named B at REV (default: HEAD) and switch to it')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Discard local changes that the checkout would overwrite')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Discard local changes that the checkout would overwrite')
            [CompletionResult]::new('--ours', '--ours', [CompletionResultType]::ParameterName, 'During a merge: put the current branch''s version of the paths given (in place of REV) in the working tree and index; `pach add` then marks them resolved')
            [CompletionResult]::new('--theirs', '--theirs', [CompletionResultType]::ParameterName, 'During a merge: put the merged commit''s version (MERGE_HEAD) of the paths given')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print what was switched or restored as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;merge' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'The merge commit''s message (default: "Merge <rev>")')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'The merge commit''s message (default: "Merge <rev>")')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'Settle every conflict one way, keeping every clean change of both sides')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--no-ff', '--no-ff', [CompletionResultType]::ParameterName, 'Make a merge commit even when a fast-forward would do')
            [CompletionResult]::new('--run', '--run', [CompletionResultType]::ParameterName, 'After a clean merge, run the stages it made stale')
            [CompletionResult]::new('--abort', '--abort', [CompletionResultType]::ParameterName, 'Abandon the merge in progress: back to HEAD, local edits to tracked files included')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print what happened as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;reflog' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Show at most N moves')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the moves as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;reset' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--soft', '--soft', [CompletionResultType]::ParameterName, 'Move only the branch')
            [CompletionResult]::new('--mixed', '--mixed', [CompletionResultType]::ParameterName, 'Also reset the index (the default)')
            [CompletionResult]::new('--hard', '--hard', [CompletionResultType]::ParameterName, 'Also reset the tracked files in the working tree')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print what happened as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;restore' {
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'The commit to restore from (default: the index; with --staged, HEAD)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--staged', '--staged', [CompletionResultType]::ParameterName, 'Reset the index entries, not the files')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print what happened as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;revert' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the new commit as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;mv' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print what happened as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;diff' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--stat', '--stat', [CompletionResultType]::ParameterName, 'Print only a summary: counts and bytes added and removed')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the changes as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;ls' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the listing as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;cat' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;show' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the commit and its changes as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'pach;run' {
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Datums at once per stage (default: the stage''s parallelism, else the number of cores)')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Datums at once per stage (default: the stage''s parallelism, else the number of cores)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'List each datum that would run and why; run nothing')
            [CompletionResult]::new('--exit-code', '--exit-code', [CompletionResultType]::ParameterName, 'With --dry-run: exit 1 when any datum is stale, 0 when everything is current')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Ignore the run cache: run every datum again')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print what ran as JSON')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'After running, wait for new commits on the current branch and run what they make stale, until stopped')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'Recompute the runs that made HEAD''s outputs, ignoring the cache and keeping nothing, and compare every output''s hash with the recorded one (exit 4 on any difference)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;logs' {
            [CompletionResult]::new('--datum', '--datum', [CompletionResultType]::ParameterName, 'Only this datum (id prefix)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the runs and their logs as JSON (each log as text, invalid UTF-8 replaced)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;provenance' {
            [CompletionResult]::new('--branch', '--branch', [CompletionResultType]::ParameterName, 'With --downstream: check presence at this branch only (default: every branch; can be repeated)')
            [CompletionResult]::new('--depth', '--depth', [CompletionResultType]::ParameterName, 'Follow at most N runs away from the file (default: all the way)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--commit', '--commit', [CompletionResultType]::ParameterName, 'Commit-level provenance of REV: which commits each stage''s inputs came from')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--downstream', '--downstream', [CompletionResultType]::ParameterName, 'Trace forward: every file derived from this one')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the graph as JSON (same as --format json)')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'Re-hash every object on the path (files, run records, logs, commits) and fail naming any that is missing or corrupt')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;fsck' {
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Check this remote''s objects instead of the local store')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the report as JSON')
            [CompletionResult]::new('--repair', '--repair', [CompletionResultType]::ParameterName, 'Upload good local copies over the remote''s damaged or missing objects')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;du' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the report as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;gc' {
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'Keep unreachable objects younger than this (e.g. 30m, 2h, 7d; 0 keeps none)')
            [CompletionResult]::new('--keep-failed', '--keep-failed', [CompletionResultType]::ParameterName, 'Keep failed runs'' records and logs this long after they ended (default: `[gc] failed_runs` in .pach/config.toml, else 14d)')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Collect remote NAME instead: condemn what its branches and tags do not reach, and delete what was condemned more than --grace ago (which must outlast any push)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print what was removed and kept as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;purge' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why the content is purged (kept in the purge record)')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'With --yes, also upload the purge record to remote NAME and erase the bytes there (can be repeated)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Purge; without it only the report is printed and nothing changes')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Only print the report (the default without --yes)')
            [CompletionResult]::new('--derived', '--derived', [CompletionResultType]::ParameterName, 'Purge every output derived from the content too (transitively: an aggregate can carry erased data) and the logs of the runs that read it')
            [CompletionResult]::new('--rerun', '--rerun', [CompletionResultType]::ParameterName, 'Then commit on the current branch without the purged content (deleting its working-tree copies, keeping those with local changes) and run the stale stages')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'List every purge with its record')
            [CompletionResult]::new('--all-remotes', '--all-remotes', [CompletionResultType]::ParameterName, 'With --yes, do what --remote does on every remote')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the report (or the list) as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;completions' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;remote' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a remote')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List remotes')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a remote (its remote-tracking refs go too)')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a remote (its remote-tracking refs move too)')
            [CompletionResult]::new('trust-purges', 'trust-purges', [CompletionResultType]::ParameterValue, 'Apply the purge records fetched from a remote (a clone trusts `origin`)')
            [CompletionResult]::new('untrust-purges', 'untrust-purges', [CompletionResultType]::ParameterValue, 'Stop applying the purge records fetched from a remote (they are only reported)')
            [CompletionResult]::new('set-url', 'set-url', [CompletionResultType]::ParameterValue, 'Change the URL of a remote (checked as `remote add` checks it)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pach;remote;add' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'S3 endpoint URL (e.g. http://127.0.0.1:9000)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'S3 region')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'pach;remote;list' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the list as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'pach;remote;remove' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'pach;remote;rename' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'pach;remote;trust-purges' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;remote;untrust-purges' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'pach;remote;set-url' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'pach;remote;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a remote')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List remotes')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a remote (its remote-tracking refs go too)')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a remote (its remote-tracking refs move too)')
            [CompletionResult]::new('trust-purges', 'trust-purges', [CompletionResultType]::ParameterValue, 'Apply the purge records fetched from a remote (a clone trusts `origin`)')
            [CompletionResult]::new('untrust-purges', 'untrust-purges', [CompletionResultType]::ParameterValue, 'Stop applying the purge records fetched from a remote (they are only reported)')
            [CompletionResult]::new('set-url', 'set-url', [CompletionResultType]::ParameterValue, 'Change the URL of a remote (checked as `remote add` checks it)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pach;remote;help;add' {
            break
        }
        'pach;remote;help;list' {
            break
        }
        'pach;remote;help;remove' {
            break
        }
        'pach;remote;help;rename' {
            break
        }
        'pach;remote;help;trust-purges' {
            break
        }
        'pach;remote;help;untrust-purges' {
            break
        }
        'pach;remote;help;set-url' {
            break
        }
        'pach;remote;help;help' {
            break
        }
        'pach;push' {
            [CompletionResult]::new('--delete', '--delete', [CompletionResultType]::ParameterName, 'Delete BRANCH on the remote (`refs/tags/X` deletes tag X)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite the remote branch even if it is not an ancestor, or a remote tag')
            [CompletionResult]::new('--tags', '--tags', [CompletionResultType]::ParameterName, 'Push every local tag (none is moved on the remote without --force)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;fetch' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Drop remote-tracking branches whose branch is gone from the remote')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Move local tags that the remote has at another commit')
            [CompletionResult]::new('--purge-unpushed', '--purge-unpushed', [CompletionResultType]::ParameterName, 'Apply a trusted remote''s purge records even where a commit not pushed anywhere holds the only copy of the content')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;pull' {
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Fetch file contents only at or under PATH, and update only that part of the tree')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--merge', '--merge', [CompletionResultType]::ParameterName, 'When both sides have new commits, merge theirs into the branch (as `pach merge`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;clone' {
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Fetch file contents only at or under PATH')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pach was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR in the environment means never, for auto)')
            [CompletionResult]::new('--author-name', '--author-name', [CompletionResultType]::ParameterName, 'Commit author name (default: git''s user.name, else the user name)')
            [CompletionResult]::new('--author-email', '--author-email', [CompletionResultType]::ParameterName, 'Commit author email (default: git''s user.email, else user@host)')
            [CompletionResult]::new('--author-date', '--author-date', [CompletionResultType]::ParameterName, 'Commit time as Unix seconds, for reproducible commits (default: now)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is happening (can be repeated)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pach;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create an empty pach project in the current directory')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Stage files and directories for the next commit')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Stop tracking files (and delete them, unless --cached)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show staged changes, changes not staged, and untracked files')
            [CompletionResult]::new('commit', 'commit', [CompletionResultType]::ParameterValue, 'Record the staged changes as a new commit')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show commit history, with the code version of each commit')
            [CompletionResult]::new('branch', 'branch', [CompletionResultType]::ParameterValue, 'List, create or delete branches')
            [CompletionResult]::new('tag', 'tag', [CompletionResultType]::ParameterValue, 'List, create or delete tags')
            [CompletionResult]::new('checkout', 'checkout', [CompletionResultType]::ParameterValue, 'Switch branches or commits, or restore paths from a commit')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Join another branch (or any commit) into the current branch')
            [CompletionResult]::new('reflog', 'reflog', [CompletionResultType]::ParameterValue, 'Show where HEAD or a branch has been')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Move the current branch to another commit, and the index and files with it')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Unstage paths, or restore files from the index or a commit')
            [CompletionResult]::new('revert', 'revert', [CompletionResultType]::ParameterValue, 'Make a commit that undoes an earlier one')
            [CompletionResult]::new('mv', 'mv', [CompletionResultType]::ParameterValue, 'Rename or move a tracked file or directory')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show added, modified and deleted files between versions')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the files of a version')
            [CompletionResult]::new('cat', 'cat', [CompletionResultType]::ParameterValue, 'Print a file of any version to standard output')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a commit: its metadata and the files it changed')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run the stale pipeline stages of pach.toml in local Docker containers')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print the stored container logs of a stage')
            [CompletionResult]::new('provenance', 'provenance', [CompletionResultType]::ParameterValue, 'Trace a file to its origins, or to everything derived from it')
            [CompletionResult]::new('fsck', 'fsck', [CompletionResultType]::ParameterValue, 'Verify the store: re-hash every object and check every reference')
            [CompletionResult]::new('du', 'du', [CompletionResultType]::ParameterValue, 'Show how much space the data takes, and what deduplication and chunking saved')
            [CompletionResult]::new('gc', 'gc', [CompletionResultType]::ParameterValue, 'Delete objects that nothing refers to, and what killed runs left')
            [CompletionResult]::new('purge', 'purge', [CompletionResultType]::ParameterValue, 'Erase file contents from every version, keeping history verifiable')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('remote', 'remote', [CompletionResultType]::ParameterValue, 'Add, list, rename or remove remotes, or change their URL')
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Upload a branch or tags to a remote, or delete a remote branch')
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Download a remote''s branches, tags and objects')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Fetch a branch and fast-forward the local branch and working tree to it')
            [CompletionResult]::new('clone', 'clone', [CompletionResultType]::ParameterValue, 'Make a new project from a remote, with its default branch checked out')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pach;help;init' {
            break
        }
        'pach;help;add' {
            break
        }
        'pach;help;rm' {
            break
        }
        'pach;help;status' {
            break
        }
        'pach;help;commit' {
            break
        }
        'pach;help;log' {
            break
        }
        'pach;help;branch' {
            break
        }
        'pach;help;tag' {
            break
        }
        'pach;help;checkout' {
            break
        }
        'pach;help;merge' {
            break
        }
        'pach;help;reflog' {
            break
        }
        'pach;help;reset' {
            break
        }
        'pach;help;restore' {
            break
        }
        'pach;help;revert' {
            break
        }
        'pach;help;mv' {
            break
        }
        'pach;help;diff' {
            break
        }
        'pach;help;ls' {
            break
        }
        'pach;help;cat' {
            break
        }
        'pach;help;show' {
            break
        }
        'pach;help;run' {
            break
        }
        'pach;help;logs' {
            break
        }
        'pach;help;provenance' {
            break
        }
        'pach;help;fsck' {
            break
        }
        'pach;help;du' {
            break
        }
        'pach;help;gc' {
            break
        }
        'pach;help;purge' {
            break
        }
        'pach;help;completions' {
            break
        }
        'pach;help;remote' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a remote')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List remotes')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a remote (its remote-tracking refs go too)')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a remote (its remote-tracking refs move too)')
            [CompletionResult]::new('trust-purges', 'trust-purges', [CompletionResultType]::ParameterValue, 'Apply the purge records fetched from a remote (a clone trusts `origin`)')
            [CompletionResult]::new('untrust-purges', 'untrust-purges', [CompletionResultType]::ParameterValue, 'Stop applying the purge records fetched from a remote (they are only reported)')
            [CompletionResult]::new('set-url', 'set-url', [CompletionResultType]::ParameterValue, 'Change the URL of a remote (checked as `remote add` checks it)')
            break
        }
        'pach;help;remote;add' {
            break
        }
        'pach;help;remote;list' {
            break
        }
        'pach;help;remote;remove' {
            break
        }
        'pach;help;remote;rename' {
            break
        }
        'pach;help;remote;trust-purges' {
            break
        }
        'pach;help;remote;untrust-purges' {
            break
        }
        'pach;help;remote;set-url' {
            break
        }
        'pach;help;push' {
            break
        }
        'pach;help;fetch' {
            break
        }
        'pach;help;pull' {
            break
        }
        'pach;help;clone' {
            break
        }
        'pach;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
