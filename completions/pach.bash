_pach() {
    local i cur prev opts cmd
    COMPREPLY=()
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        cur="$2"
    else
        cur="${COMP_WORDS[COMP_CWORD]}"
    fi
    prev="$3"
    cmd=""
    opts=""

    for i in "${COMP_WORDS[@]:0:COMP_CWORD}"
    do
        case "${cmd},${i}" in
            ",$1")
                cmd="pach"
                ;;
            pach,add)
                cmd="pach__subcmd__add"
                ;;
            pach,branch)
                cmd="pach__subcmd__branch"
                ;;
            pach,cat)
                cmd="pach__subcmd__cat"
                ;;
            pach,checkout)
                cmd="pach__subcmd__checkout"
                ;;
            pach,clone)
                cmd="pach__subcmd__clone"
                ;;
            pach,commit)
                cmd="pach__subcmd__commit"
                ;;
            pach,completions)
                cmd="pach__subcmd__completions"
                ;;
            pach,diff)
                cmd="pach__subcmd__diff"
                ;;
            pach,du)
                cmd="pach__subcmd__du"
                ;;
            pach,fetch)
                cmd="pach__subcmd__fetch"
                ;;
            pach,fsck)
                cmd="pach__subcmd__fsck"
                ;;
            pach,gc)
                cmd="pach__subcmd__gc"
                ;;
            pach,help)
                cmd="pach__subcmd__help"
                ;;
            pach,init)
                cmd="pach__subcmd__init"
                ;;
            pach,log)
                cmd="pach__subcmd__log"
                ;;
            pach,logs)
                cmd="pach__subcmd__logs"
                ;;
            pach,ls)
                cmd="pach__subcmd__ls"
                ;;
            pach,merge)
                cmd="pach__subcmd__merge"
                ;;
            pach,mv)
                cmd="pach__subcmd__mv"
                ;;
            pach,provenance)
                cmd="pach__subcmd__provenance"
                ;;
            pach,pull)
                cmd="pach__subcmd__pull"
                ;;
            pach,purge)
                cmd="pach__subcmd__purge"
                ;;
            pach,push)
                cmd="pach__subcmd__push"
                ;;
            pach,reflog)
                cmd="pach__subcmd__reflog"
                ;;
            pach,remote)
                cmd="pach__subcmd__remote"
                ;;
            pach,reset)
                cmd="pach__subcmd__reset"
                ;;
            pach,restore)
                cmd="pach__subcmd__restore"
                ;;
            pach,revert)
                cmd="pach__subcmd__revert"
                ;;
            pach,rm)
                cmd="pach__subcmd__rm"
                ;;
            pach,run)
                cmd="pach__subcmd__run"
                ;;
            pach,show)
                cmd="pach__subcmd__show"
                ;;
            pach,status)
                cmd="pach__subcmd__status"
                ;;
            pach,tag)
                cmd="pach__subcmd__tag"
                ;;
            pach__subcmd__help,add)
                cmd="pach__subcmd__help__subcmd__add"
                ;;
            pach__subcmd__help,branch)
                cmd="pach__subcmd__help__subcmd__branch"
                ;;
            pach__subcmd__help,cat)
                cmd="pach__subcmd__help__subcmd__cat"
                ;;
            pach__subcmd__help,checkout)
                cmd="pach__subcmd__help__subcmd__checkout"
                ;;
            pach__subcmd__help,clone)
                cmd="pach__subcmd__help__subcmd__clone"
                ;;
            pach__subcmd__help,commit)
                cmd="pach__subcmd__help__subcmd__commit"
                ;;
            pach__subcmd__help,completions)
                cmd="pach__subcmd__help__subcmd__completions"
                ;;
            pach__subcmd__help,diff)
                cmd="pach__subcmd__help__subcmd__diff"
                ;;
            pach__subcmd__help,du)
                cmd="pach__subcmd__help__subcmd__du"
                ;;
            pach__subcmd__help,fetch)
                cmd="pach__subcmd__help__subcmd__fetch"
                ;;
            pach__subcmd__help,fsck)
                cmd="pach__subcmd__help__subcmd__fsck"
                ;;
            pach__subcmd__help,gc)
                cmd="pach__subcmd__help__subcmd__gc"
                ;;
            pach__subcmd__help,help)
                cmd="pach__subcmd__help__subcmd__help"
                ;;
            pach__subcmd__help,init)
                cmd="pach__subcmd__help__subcmd__init"
                ;;
            pach__subcmd__help,log)
                cmd="pach__subcmd__help__subcmd__log"
                ;;
            pach__subcmd__help,logs)
                cmd="pach__subcmd__help__subcmd__logs"
                ;;
            pach__subcmd__help,ls)
                cmd="pach__subcmd__help__subcmd__ls"
                ;;
            pach__subcmd__help,merge)
                cmd="pach__subcmd__help__subcmd__merge"
                ;;
            pach__subcmd__help,mv)
                cmd="pach__subcmd__help__subcmd__mv"
                ;;
            pach__subcmd__help,provenance)
                cmd="pach__subcmd__help__subcmd__provenance"
                ;;
            pach__subcmd__help,pull)
                cmd="pach__subcmd__help__subcmd__pull"
                ;;
            pach__subcmd__help,purge)
                cmd="pach__subcmd__help__subcmd__purge"
                ;;
            pach__subcmd__help,push)
                cmd="pach__subcmd__help__subcmd__push"
                ;;
            pach__subcmd__help,reflog)
                cmd="pach__subcmd__help__subcmd__reflog"
                ;;
            pach__subcmd__help,remote)
                cmd="pach__subcmd__help__subcmd__remote"
                ;;
            pach__subcmd__help,reset)
                cmd="pach__subcmd__help__subcmd__reset"
                ;;
            pach__subcmd__help,restore)
                cmd="pach__subcmd__help__subcmd__restore"
                ;;
            pach__subcmd__help,revert)
                cmd="pach__subcmd__help__subcmd__revert"
                ;;
            pach__subcmd__help,rm)
                cmd="pach__subcmd__help__subcmd__rm"
                ;;
            pach__subcmd__help,run)
                cmd="pach__subcmd__help__subcmd__run"
                ;;
            pach__subcmd__help,show)
                cmd="pach__subcmd__help__subcmd__show"
                ;;
            pach__subcmd__help,status)
                cmd="pach__subcmd__help__subcmd__status"
                ;;
            pach__subcmd__help,tag)
                cmd="pach__subcmd__help__subcmd__tag"
                ;;
            pach__subcmd__help__subcmd__remote,add)
                cmd="pach__subcmd__help__subcmd__remote__subcmd__add"
                ;;
            pach__subcmd__help__subcmd__remote,list)
                cmd="pach__subcmd__help__subcmd__remote__subcmd__list"
                ;;
            pach__subcmd__help__subcmd__remote,remove)
                cmd="pach__subcmd__help__subcmd__remote__subcmd__remove"
                ;;
            pach__subcmd__help__subcmd__remote,rename)
                cmd="pach__subcmd__help__subcmd__remote__subcmd__rename"
                ;;
            pach__subcmd__help__subcmd__remote,set-url)
                cmd="pach__subcmd__help__subcmd__remote__subcmd__set__subcmd__url"
                ;;
            pach__subcmd__help__subcmd__remote,trust-purges)
                cmd="pach__subcmd__help__subcmd__remote__subcmd__trust__subcmd__purges"
                ;;
            pach__subcmd__help__subcmd__remote,untrust-purges)
                cmd="pach__subcmd__help__subcmd__remote__subcmd__untrust__subcmd__purges"
                ;;
            pach__subcmd__remote,add)
                cmd="pach__subcmd__remote__subcmd__add"
                ;;
            pach__subcmd__remote,help)
                cmd="pach__subcmd__remote__subcmd__help"
                ;;
            pach__subcmd__remote,list)
                cmd="pach__subcmd__remote__subcmd__list"
                ;;
            pach__subcmd__remote,remove)
                cmd="pach__subcmd__remote__subcmd__remove"
                ;;
            pach__subcmd__remote,rename)
                cmd="pach__subcmd__remote__subcmd__rename"
                ;;
            pach__subcmd__remote,set-url)
                cmd="pach__subcmd__remote__subcmd__set__subcmd__url"
                ;;
            pach__subcmd__remote,trust-purges)
                cmd="pach__subcmd__remote__subcmd__trust__subcmd__purges"
                ;;
            pach__subcmd__remote,untrust-purges)
                cmd="pach__subcmd__remote__subcmd__untrust__subcmd__purges"
                ;;
            pach__subcmd__remote__subcmd__help,add)
                cmd="pach__subcmd__remote__subcmd__help__subcmd__add"
                ;;
            pach__subcmd__remote__subcmd__help,help)
                cmd="pach__subcmd__remote__subcmd__help__subcmd__help"
                ;;
            pach__subcmd__remote__subcmd__help,list)
                cmd="pach__subcmd__remote__subcmd__help__subcmd__list"
                ;;
            pach__subcmd__remote__subcmd__help,remove)
                cmd="pach__subcmd__remote__subcmd__help__subcmd__remove"
                ;;
            pach__subcmd__remote__subcmd__help,rename)
                cmd="pach__subcmd__remote__subcmd__help__subcmd__rename"
                ;;
            pach__subcmd__remote__subcmd__help,set-url)
                cmd="pach__subcmd__remote__subcmd__help__subcmd__set__subcmd__url"
                ;;
            pach__subcmd__remote__subcmd__help,trust-purges)
                cmd="pach__subcmd__remote__subcmd__help__subcmd__trust__subcmd__purges"
                ;;
            pach__subcmd__remote__subcmd__help,untrust-purges)
                cmd="pach__subcmd__remote__subcmd__help__subcmd__untrust__subcmd__purges"
                ;;
            *)
                ;;
        esac
    done

    case "${cmd}" in
        pach)
            opts="-q -v -C -h -V --quiet --verbose --color --author-name --author-email --author-date --help --version init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 1 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__add)
            opts="-q -v -C -h --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__branch)
            opts="-d -r -a -q -v -C -h --delete --remotes --all --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__cat)
            opts="-q -v -C -h --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__checkout)
            opts="-b -f -q -v -C -h --force --ours --theirs --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                -b)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__clone)
            opts="-q -v -C -h --path --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__commit)
            opts="-m -q -v -C -h --message --allow-empty --json --run --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --message)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -m)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__completions)
            opts="-q -v -C -h --quiet --verbose --color --author-name --author-email --author-date --help bash elvish fish powershell zsh"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__diff)
            opts="-q -v -C -h --stat --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__du)
            opts="-q -v -C -h --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__fetch)
            opts="-q -v -C -h --prune --force --purge-unpushed --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__fsck)
            opts="-q -v -C -h --json --remote --repair --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --remote)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__gc)
            opts="-q -v -C -h --grace --keep-failed --remote --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --grace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --keep-failed)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --remote)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help)
            opts="init add rm status commit log branch tag checkout merge reflog reset restore revert mv diff ls cat show run logs provenance fsck du gc purge completions remote push fetch pull clone help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__add)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__branch)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__cat)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__checkout)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__clone)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__commit)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__completions)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__diff)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__du)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__fetch)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__fsck)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__gc)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__init)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__log)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__logs)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__ls)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__merge)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__mv)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__provenance)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__pull)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__purge)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__push)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__reflog)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__remote)
            opts="add list remove rename trust-purges untrust-purges set-url"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__remote__subcmd__add)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__remote__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__remote__subcmd__remove)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__remote__subcmd__rename)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__remote__subcmd__set__subcmd__url)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__remote__subcmd__trust__subcmd__purges)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__remote__subcmd__untrust__subcmd__purges)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__reset)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__restore)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__revert)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__rm)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__run)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__show)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__status)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__help__subcmd__tag)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__init)
            opts="-q -v -C -h --no-gitignore --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__log)
            opts="-n -q -v -C -h --oneline --json --follow --graph --all --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__logs)
            opts="-q -v -C -h --datum --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --datum)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__ls)
            opts="-q -v -C -h --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__merge)
            opts="-m -X -q -v -C -h --message --no-ff --run --abort --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --message)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -m)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -X)
                    COMPREPLY=($(compgen -W "ours theirs" -- "${cur}"))
                    return 0
                    ;;
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__mv)
            opts="-q -v -C -h --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__provenance)
            opts="-q -v -C -h --downstream --branch --depth --format --json --verify --commit --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --branch)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --depth)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --format)
                    COMPREPLY=($(compgen -W "tree json dot mermaid prov-json openlineage" -- "${cur}"))
                    return 0
                    ;;
                --commit)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__pull)
            opts="-q -v -C -h --path --merge --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__purge)
            opts="-q -v -C -h --reason --yes --dry-run --derived --rerun --list --remote --all-remotes --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --reason)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --remote)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__push)
            opts="-q -v -C -h --force --tags --delete --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --delete)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__reflog)
            opts="-n -q -v -C -h --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__remote)
            opts="-q -v -C -h --quiet --verbose --color --author-name --author-email --author-date --help add list remove rename trust-purges untrust-purges set-url help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__remote__subcmd__add)
            opts="-q -v -C -h --endpoint --region --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --endpoint)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__remote__subcmd__help)
            opts="add list remove rename trust-purges untrust-purges set-url help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__remote__subcmd__help__subcmd__add)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__remote__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__remote__subcmd__help__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__remote__subcmd__help__subcmd__remove)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__remote__subcmd__help__subcmd__rename)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__remote__subcmd__help__subcmd__set__subcmd__url)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__remote__subcmd__help__subcmd__trust__subcmd__purges)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__remote__subcmd__help__subcmd__untrust__subcmd__purges)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__remote__subcmd__list)
            opts="-q -v -C -h --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__remote__subcmd__remove)
            opts="-q -v -C -h --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__remote__subcmd__rename)
            opts="-q -v -C -h --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__remote__subcmd__set__subcmd__url)
            opts="-q -v -C -h --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__remote__subcmd__trust__subcmd__purges)
            opts="-q -v -C -h --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__remote__subcmd__untrust__subcmd__purges)
            opts="-q -v -C -h --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__reset)
            opts="-q -v -C -h --soft --mixed --hard --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__restore)
            opts="-q -v -C -h --staged --source --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --source)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__revert)
            opts="-q -v -C -h --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__rm)
            opts="-f -q -v -C -h --cached --force --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__run)
            opts="-j -q -v -C -h --dry-run --exit-code --force --jobs --json --watch --verify --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --jobs)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -j)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__show)
            opts="-q -v -C -h --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__status)
            opts="-q -v -C -h --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        pach__subcmd__tag)
            opts="-d -q -v -C -h --delete --json --quiet --verbose --color --author-name --author-email --author-date --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --author-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-email)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --author-date)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
    esac
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _pach -o nosort -o bashdefault -o default pach
else
    complete -F _pach -o bashdefault -o default pach
fi
