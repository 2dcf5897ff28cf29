
use builtin;
use str;

set edit:completion:arg-completer[pach] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'pach'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'pach'= {
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Create an empty pach project in the current directory'
            cand add 'Stage files and directories for the next commit'
            cand rm 'Stop tracking files (and delete them, unless --cached)'
            cand status 'Show staged changes, changes not staged, and untracked files'
            cand commit 'Record the staged changes as a new commit'
            cand log 'Show commit history, with the code version of each commit'
            cand branch 'List, create or delete branches'
            cand tag 'List, create or delete tags'
            cand checkout 'Switch branches or commits, or restore paths from a commit'
            cand diff 'Show added, modified and deleted files between versions'
            cand ls 'List the files of a version'
            cand cat 'Print a file of any version to standard output'
            cand show 'Show a commit: its metadata and the files it changed'
            cand run 'Run the stale pipeline stages of pach.toml in local Docker containers'
            cand logs 'Print the stored container logs of a stage'
            cand fsck 'Verify the store: re-hash every object and check every reference'
            cand gc 'Delete objects that nothing refers to'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pach;init'= {
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;add'= {
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --json 'Print what was staged as JSON'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;rm'= {
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --cached 'Keep the files in the working tree; only stop tracking them'
            cand -f 'Delete files even if they have changes that are not staged'
            cand --force 'Delete files even if they have changes that are not staged'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;status'= {
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --json 'Print the status as JSON'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;commit'= {
            cand -m 'Message describing the change'
            cand --message 'Message describing the change'
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --allow-empty 'Commit even if nothing changed'
            cand --json 'Print the new commit as JSON'
            cand --run 'Then run the stages the commit made stale (also `run_on_commit = true` in pach.toml)'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;log'= {
            cand -n 'Show at most N commits'
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --oneline 'One line per commit: short id and first line of the message'
            cand --json 'Print the commits as JSON'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;branch'= {
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand -d 'Delete the branch NAME (never the current one)'
            cand --delete 'Delete the branch NAME (never the current one)'
            cand --json 'Print the list as JSON'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;tag'= {
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand -d 'Delete the tag NAME'
            cand --delete 'Delete the tag NAME'
            cand --json 'Print the list as JSON'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;checkout'= {
            cand -b 'Create a branch named B at REV (default: HEAD) and switch to it'
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand -f 'Discard local changes that the checkout would overwrite'
            cand --force 'Discard local changes that the checkout would overwrite'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;diff'= {
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --stat 'Print only a summary: counts and bytes added and removed'
            cand --json 'Print the changes as JSON'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;ls'= {
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --json 'Print the listing as JSON'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;cat'= {
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;show'= {
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --json 'Print the commit and its changes as JSON'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pach;run'= {
            cand -j 'Datums at once per stage (default: the stage''s parallelism, else the number of cores)'
            cand --jobs 'Datums at once per stage (default: the stage''s parallelism, else the number of cores)'
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --dry-run 'List each datum that would run and why; run nothing'
            cand --force 'Ignore the run cache: run every datum again'
            cand --json 'Print what ran as JSON'
            cand --watch 'After running, wait for new commits on the current branch and run what they make stale, until stopped'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;logs'= {
            cand --datum 'Only this datum (id prefix)'
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;fsck'= {
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --json 'Print the report as JSON'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;gc'= {
            cand --grace 'Keep unreachable objects younger than this (e.g. 30m, 2h, 7d; 0 keeps none)'
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;completions'= {
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;help'= {
            cand init 'Create an empty pach project in the current directory'
            cand add 'Stage files and directories for the next commit'
            cand rm 'Stop tracking files (and delete them, unless --cached)'
            cand status 'Show staged changes, changes not staged, and untracked files'
            cand commit 'Record the staged changes as a new commit'
            cand log 'Show commit history, with the code version of each commit'
            cand branch 'List, create or delete branches'
            cand tag 'List, create or delete tags'
            cand checkout 'Switch branches or commits, or restore paths from a commit'
            cand diff 'Show added, modified and deleted files between versions'
            cand ls 'List the files of a version'
            cand cat 'Print a file of any version to standard output'
            cand show 'Show a commit: its metadata and the files it changed'
            cand run 'Run the stale pipeline stages of pach.toml in local Docker containers'
            cand logs 'Print the stored container logs of a stage'
            cand fsck 'Verify the store: re-hash every object and check every reference'
            cand gc 'Delete objects that nothing refers to'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pach;help;init'= {
        }
        &'pach;help;add'= {
        }
        &'pach;help;rm'= {
        }
        &'pach;help;status'= {
        }
        &'pach;help;commit'= {
        }
        &'pach;help;log'= {
        }
        &'pach;help;branch'= {
        }
        &'pach;help;tag'= {
        }
        &'pach;help;checkout'= {
        }
        &'pach;help;diff'= {
        }
        &'pach;help;ls'= {
        }
        &'pach;help;cat'= {
        }
        &'pach;help;show'= {
        }
        &'pach;help;run'= {
        }
        &'pach;help;logs'= {
        }
        &'pach;help;fsck'= {
        }
        &'pach;help;gc'= {
        }
        &'pach;help;completions'= {
        }
        &'pach;help;help'= {
        }
    ]
    $completions[$command]
}
