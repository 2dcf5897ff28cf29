
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
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
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
            cand merge 'Join another branch (or any commit) into the current branch'
            cand reflog 'Show where HEAD or a branch has been'
            cand reset 'Move the current branch to another commit, and the index and files with it'
            cand restore 'Unstage paths, or restore files from the index or a commit'
            cand revert 'Make a commit that undoes an earlier one'
            cand mv 'Rename or move a tracked file or directory'
            cand diff 'Show added, modified and deleted files between versions'
            cand ls 'List the files of a version'
            cand cat 'Print a file of any version to standard output'
            cand show 'Show a commit: its metadata and the files it changed'
            cand run 'Run the stale pipeline stages of pach.toml in local Docker containers'
            cand logs 'Print the stored container logs of a stage'
            cand provenance 'Trace a file to its origins, or to everything derived from it'
            cand fsck 'Verify the store: re-hash every object and check every reference'
            cand du 'Show how much space the data takes, and what deduplication and chunking saved'
            cand gc 'Delete objects that nothing refers to, and what killed runs left'
            cand purge 'Erase file contents from every version, keeping history verifiable'
            cand completions 'Print a shell completion script'
            cand remote 'Add, list, rename or remove remotes, or change their URL'
            cand push 'Upload a branch or tags to a remote, or delete a remote branch'
            cand fetch 'Download a remote''s branches, tags and objects'
            cand pull 'Fetch a branch and fast-forward the local branch and working tree to it'
            cand clone 'Make a new project from a remote, with its default branch checked out'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pach;init'= {
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand --no-gitignore 'Leave .gitignore alone: no `/.pach/` line, no block of tracked paths'
            cand --json 'Print the project made as JSON'
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
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
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
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand --cached 'Keep the files in the working tree; only stop tracking them'
            cand -f 'Delete files even if they have changes that are not staged'
            cand --force 'Delete files even if they have changes that are not staged'
            cand --json 'Print what was removed as JSON'
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
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
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
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
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
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand --oneline 'One line per commit: short id and first line of the message'
            cand --json 'Print the commits as JSON'
            cand --follow 'Follow PATH across renames (`pach mv`)'
            cand --graph 'Draw the history as a graph, one line per commit, following every parent'
            cand --all 'Start from every ref (HEAD, branches, tags, remote-tracking branches), not one rev'
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
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand -d 'Delete the branch NAME (never the current one)'
            cand --delete 'Delete the branch NAME (never the current one)'
            cand -r 'List the remote-tracking branches'
            cand --remotes 'List the remote-tracking branches'
            cand -a 'List local and remote-tracking branches'
            cand --all 'List local and remote-tracking branches'
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
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
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
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand -f 'Discard local changes that the checkout would overwrite'
            cand --force 'Discard local changes that the checkout would overwrite'
            cand --ours 'During a merge: put the current branch''s version of the paths given (in place of REV) in the working tree and index; `pach add` then marks them resolved'
            cand --theirs 'During a merge: put the merged commit''s version (MERGE_HEAD) of the paths given'
            cand --json 'Print what was switched or restored as JSON'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;merge'= {
            cand -m 'The merge commit''s message (default: "Merge <rev>")'
            cand --message 'The merge commit''s message (default: "Merge <rev>")'
            cand -X 'Settle every conflict one way, keeping every clean change of both sides'
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand --no-ff 'Make a merge commit even when a fast-forward would do'
            cand --run 'After a clean merge, run the stages it made stale'
            cand --abort 'Abandon the merge in progress: back to HEAD, local edits to tracked files included'
            cand --json 'Print what happened as JSON'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;reflog'= {
            cand -n 'Show at most N moves'
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand --json 'Print the moves as JSON'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;reset'= {
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand --soft 'Move only the branch'
            cand --mixed 'Also reset the index (the default)'
            cand --hard 'Also reset the tracked files in the working tree'
            cand --json 'Print what happened as JSON'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;restore'= {
            cand --source 'The commit to restore from (default: the index; with --staged, HEAD)'
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand --staged 'Reset the index entries, not the files'
            cand --json 'Print what happened as JSON'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;revert'= {
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand --json 'Print the new commit as JSON'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;mv'= {
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand --json 'Print what happened as JSON'
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
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
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
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
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
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
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
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
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
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand --dry-run 'List each datum that would run and why; run nothing'
            cand --exit-code 'With --dry-run: exit 1 when any datum is stale, 0 when everything is current'
            cand --force 'Ignore the run cache: run every datum again'
            cand --json 'Print what ran as JSON'
            cand --watch 'After running, wait for new commits on the current branch and run what they make stale, until stopped'
            cand --verify 'Recompute the runs that made HEAD''s outputs, ignoring the cache and keeping nothing, and compare every output''s hash with the recorded one (exit 4 on any difference)'
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
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand --json 'Print the runs and their logs as JSON (each log as text, invalid UTF-8 replaced)'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;provenance'= {
            cand --branch 'With --downstream: check presence at this branch only (default: every branch; can be repeated)'
            cand --depth 'Follow at most N runs away from the file (default: all the way)'
            cand --format 'Output format'
            cand --commit 'Commit-level provenance of REV: which commits each stage''s inputs came from'
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand --downstream 'Trace forward: every file derived from this one'
            cand --json 'Print the graph as JSON (same as --format json)'
            cand --verify 'Re-hash every object on the path (files, run records, logs, commits) and fail naming any that is missing or corrupt'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;fsck'= {
            cand --remote 'Check this remote''s objects instead of the local store'
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand --json 'Print the report as JSON'
            cand --repair 'Upload good local copies over the remote''s damaged or missing objects'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;du'= {
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
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
            cand --keep-failed 'Keep failed runs'' records and logs this long after they ended (default: `[gc] failed_runs` in .pach/config.toml, else 14d)'
            cand --remote 'Collect remote NAME instead: condemn what its branches and tags do not reach, and delete what was condemned more than --grace ago (which must outlast any push)'
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand --json 'Print what was removed and kept as JSON'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;purge'= {
            cand --reason 'Why the content is purged (kept in the purge record)'
            cand --remote 'With --yes, also upload the purge record to remote NAME and erase the bytes there (can be repeated)'
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand --yes 'Purge; without it only the report is printed and nothing changes'
            cand --dry-run 'Only print the report (the default without --yes)'
            cand --derived 'Purge every output derived from the content too (transitively: an aggregate can carry erased data) and the logs of the runs that read it'
            cand --rerun 'Then commit on the current branch without the purged content (deleting its working-tree copies, keeping those with local changes) and run the stale stages'
            cand --list 'List every purge with its record'
            cand --all-remotes 'With --yes, do what --remote does on every remote'
            cand --json 'Print the report (or the list) as JSON'
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
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;remote'= {
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand add 'Add a remote'
            cand list 'List remotes'
            cand remove 'Remove a remote (its remote-tracking refs go too)'
            cand rename 'Rename a remote (its remote-tracking refs move too)'
            cand trust-purges 'Apply the purge records fetched from a remote (a clone trusts `origin`)'
            cand untrust-purges 'Stop applying the purge records fetched from a remote (they are only reported)'
            cand set-url 'Change the URL of a remote (checked as `remote add` checks it)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pach;remote;add'= {
            cand --endpoint 'S3 endpoint URL (e.g. http://127.0.0.1:9000)'
            cand --region 'S3 region'
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand --json 'Print the result as JSON'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pach;remote;list'= {
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand --json 'Print the list as JSON'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pach;remote;remove'= {
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand --json 'Print the result as JSON'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pach;remote;rename'= {
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand --json 'Print the result as JSON'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pach;remote;trust-purges'= {
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;remote;untrust-purges'= {
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pach;remote;set-url'= {
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand --json 'Print the result as JSON'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pach;remote;help'= {
            cand add 'Add a remote'
            cand list 'List remotes'
            cand remove 'Remove a remote (its remote-tracking refs go too)'
            cand rename 'Rename a remote (its remote-tracking refs move too)'
            cand trust-purges 'Apply the purge records fetched from a remote (a clone trusts `origin`)'
            cand untrust-purges 'Stop applying the purge records fetched from a remote (they are only reported)'
            cand set-url 'Change the URL of a remote (checked as `remote add` checks it)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pach;remote;help;add'= {
        }
        &'pach;remote;help;list'= {
        }
        &'pach;remote;help;remove'= {
        }
        &'pach;remote;help;rename'= {
        }
        &'pach;remote;help;trust-purges'= {
        }
        &'pach;remote;help;untrust-purges'= {
        }
        &'pach;remote;help;set-url'= {
        }
        &'pach;remote;help;help'= {
        }
        &'pach;push'= {
            cand --delete 'Delete BRANCH on the remote (`refs/tags/X` deletes tag X)'
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand --force 'Overwrite the remote branch even if it is not an ancestor, or a remote tag'
            cand --tags 'Push every local tag (none is moved on the remote without --force)'
            cand --json 'Print the result as JSON'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;fetch'= {
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand --prune 'Drop remote-tracking branches whose branch is gone from the remote'
            cand --force 'Move local tags that the remote has at another commit'
            cand --purge-unpushed 'Apply a trusted remote''s purge records even where a commit not pushed anywhere holds the only copy of the content'
            cand --json 'Print the result as JSON'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;pull'= {
            cand --path 'Fetch file contents only at or under PATH, and update only that part of the tree'
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand --merge 'When both sides have new commits, merge theirs into the branch (as `pach merge`)'
            cand --json 'Print the result as JSON'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Print more about what is happening (can be repeated)'
            cand --verbose 'Print more about what is happening (can be repeated)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pach;clone'= {
            cand --path 'Fetch file contents only at or under PATH'
            cand -C 'Run as if pach was started in DIR'
            cand --color 'When to colour output (NO_COLOR in the environment means never, for auto)'
            cand --author-name 'Commit author name (default: git''s user.name, else the user name)'
            cand --author-email 'Commit author email (default: git''s user.email, else user@host)'
            cand --author-date 'Commit time as Unix seconds, for reproducible commits (default: now)'
            cand --json 'Print the result as JSON'
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
            cand merge 'Join another branch (or any commit) into the current branch'
            cand reflog 'Show where HEAD or a branch has been'
            cand reset 'Move the current branch to another commit, and the index and files with it'
            cand restore 'Unstage paths, or restore files from the index or a commit'
            cand revert 'Make a commit that undoes an earlier one'
            cand mv 'Rename or move a tracked file or directory'
            cand diff 'Show added, modified and deleted files between versions'
            cand ls 'List the files of a version'
            cand cat 'Print a file of any version to standard output'
            cand show 'Show a commit: its metadata and the files it changed'
            cand run 'Run the stale pipeline stages of pach.toml in local Docker containers'
            cand logs 'Print the stored container logs of a stage'
            cand provenance 'Trace a file to its origins, or to everything derived from it'
            cand fsck 'Verify the store: re-hash every object and check every reference'
            cand du 'Show how much space the data takes, and what deduplication and chunking saved'
            cand gc 'Delete objects that nothing refers to, and what killed runs left'
            cand purge 'Erase file contents from every version, keeping history verifiable'
            cand completions 'Print a shell completion script'
            cand remote 'Add, list, rename or remove remotes, or change their URL'
            cand push 'Upload a branch or tags to a remote, or delete a remote branch'
            cand fetch 'Download a remote''s branches, tags and objects'
            cand pull 'Fetch a branch and fast-forward the local branch and working tree to it'
            cand clone 'Make a new project from a remote, with its default branch checked out'
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
        &'pach;help;merge'= {
        }
        &'pach;help;reflog'= {
        }
        &'pach;help;reset'= {
        }
        &'pach;help;restore'= {
        }
        &'pach;help;revert'= {
        }
        &'pach;help;mv'= {
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
        &'pach;help;provenance'= {
        }
        &'pach;help;fsck'= {
        }
        &'pach;help;du'= {
        }
        &'pach;help;gc'= {
        }
        &'pach;help;purge'= {
        }
        &'pach;help;completions'= {
        }
        &'pach;help;remote'= {
            cand add 'Add a remote'
            cand list 'List remotes'
            cand remove 'Remove a remote (its remote-tracking refs go too)'
            cand rename 'Rename a remote (its remote-tracking refs move too)'
            cand trust-purges 'Apply the purge records fetched from a remote (a clone trusts `origin`)'
            cand untrust-purges 'Stop applying the purge records fetched from a remote (they are only reported)'
            cand set-url 'Change the URL of a remote (checked as `remote add` checks it)'
        }
        &'pach;help;remote;add'= {
        }
        &'pach;help;remote;list'= {
        }
        &'pach;help;remote;remove'= {
        }
        &'pach;help;remote;rename'= {
        }
        &'pach;help;remote;trust-purges'= {
        }
        &'pach;help;remote;untrust-purges'= {
        }
        &'pach;help;remote;set-url'= {
        }
        &'pach;help;push'= {
        }
        &'pach;help;fetch'= {
        }
        &'pach;help;pull'= {
        }
        &'pach;help;clone'= {
        }
        &'pach;help;help'= {
        }
    ]
    $completions[$command]
}
