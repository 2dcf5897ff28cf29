//! Unit tests of `pipeline::spec`.

use super::*;
use crate::paths::is_under;

const EXAMPLE: &str = r#"[settings]
run_on_commit = true

[[stage]]
name = "count"                 # unique; [a-z0-9_-]+
image = "pach-test/busybox:1"
cmd = ["sh", "-c", "for f in /pach/in/text/*; do wc -w < $f > /pach/out/$(basename $f).n; done"]
output = "counts"
parallelism = 2
env = { LANG = "C" }
network = false
timeout = "10m"
[[stage.input]]
name = "text"
path = "data/text"
glob = "/*"

[[stage]]
name = "total"
image = "pach-test/busybox:1"
cmd = ["sh", "-c", "cat /pach/in/counts/* > /pach/out/total"]
output = "total/"
retries = 2
[[stage.input]]
name = "counts"
path = "counts"
"#;

/// One stage: `[[stage]]` on line 1, its name on 2, output on 5, input name on 7, path on 8.
const BASE: &str = r#"[[stage]]
name = "count"
image = "img:1"
cmd = ["true"]
output = "counts"
[[stage.input]]
name = "text"
path = "data/text"
"#;

fn tracked(path: &str) -> bool {
    is_under(path, "data") || is_under("data", path)
}

fn parse_ok(text: &str) -> Pipeline {
    parse(text, Path::new("pach.toml"), &tracked).unwrap()
}

/// Returns `line:column: message` of the error parsing `text`.
fn error(text: &str) -> String {
    let e = parse(text, Path::new("pach.toml"), &tracked).unwrap_err();
    let shown = e.to_string();
    assert!(shown.starts_with("pach.toml:"), "{shown}");
    shown["pach.toml:".len()..].to_string()
}

#[test]
fn parses_the_issue_example() {
    let p = parse_ok(EXAMPLE);
    assert!(p.settings.run_on_commit);
    let [count, total] = &p.stages[..] else {
        panic!("two stages expected")
    };
    assert_eq!(count.name, "count");
    assert_eq!(count.image, "pach-test/busybox:1");
    assert_eq!(count.cmd.len(), 3);
    assert_eq!(count.output, "counts");
    assert_eq!(count.parallelism, Some(2));
    assert_eq!(count.env, BTreeMap::from([("LANG".into(), "C".into())]));
    assert!(!count.network);
    assert_eq!(count.timeout, Some(Duration::from_secs(600)));
    assert_eq!(count.retries, 0);
    assert_eq!(count.combine, Combine::Cross);
    assert_eq!(count.line, 4);
    assert_eq!(count.inputs[0].name, "text");
    assert_eq!(count.inputs[0].path, "data/text");
    assert_eq!(count.inputs[0].glob.pattern(), "/*");
    assert_eq!(count.inputs[0].join_on, None);
    assert_eq!(total.output, "total");
    assert_eq!(total.retries, 2);
    assert_eq!(total.line, 18);
    assert_eq!(total.inputs[0].glob.pattern(), "/");
    assert_eq!(dag::order(&p.stages).unwrap(), [0, 1]);
}

#[test]
fn an_empty_file_is_an_empty_pipeline() {
    let p = parse_ok("");
    assert_eq!(p.settings, Settings::default());
    assert!(p.stages.is_empty());
}

#[test]
fn syntax_errors_have_a_position() {
    let e = error(&BASE.replace("\"count\"", "\"count"));
    assert!(e.starts_with("2:"), "{e}");
}

#[test]
fn unknown_keys_are_rejected_at_every_level() {
    let e = error(&format!("colour = 1\n{BASE}"));
    assert!(e.starts_with("1:1: unknown field `colour`"), "{e}");
    let e = error(&format!("[settings]\nauto = true\n{BASE}"));
    assert!(e.starts_with("2:1: unknown field `auto`"), "{e}");
    let e = error(&BASE.replace("output = \"counts\"\n", "output = \"counts\"\ncolour = 1\n"));
    assert!(e.starts_with("6:1: unknown field `colour`"), "{e}");
    let e = error(&format!("{BASE}colour = 1\n"));
    assert!(e.starts_with("9:1: unknown field `colour`"), "{e}");
}

#[test]
fn missing_fields_are_rejected() {
    let e = error(&BASE.replace("image = \"img:1\"\n", ""));
    assert!(e.contains("missing field `image`"), "{e}");
    assert!(e.starts_with("1:"), "{e}");
    let e = error(&BASE.replace("path = \"data/text\"\n", ""));
    assert!(e.contains("missing field `path`"), "{e}");
    assert!(e.starts_with("6:"), "{e}");
    let e = error(&BASE.replace(
        "[[stage.input]]\nname = \"text\"\npath = \"data/text\"\n",
        "",
    ));
    assert_eq!(e, "1:1: stage `count` has no `[[stage.input]]`");
}

#[test]
fn bad_names_are_rejected() {
    let e = error(&BASE.replace("\"count\"", "\"Count\""));
    assert!(e.starts_with("2:8: invalid stage name `Count`"), "{e}");
    let e = error(&BASE.replace("\"text\"", "\"a b\""));
    assert!(e.starts_with("7:8: invalid input name `a b`"), "{e}");
}

#[test]
fn duplicate_names_are_rejected() {
    let second = BASE.replace("\"counts\"", "\"other\"");
    assert_eq!(
        error(&format!("{BASE}{second}")),
        "10:8: duplicate stage name `count`"
    );
    let dup = format!("{BASE}[[stage.input]]\nname = \"text\"\npath = \"data/x\"\n");
    assert_eq!(
        error(&dup),
        "10:8: stage `count` has two inputs named `text`"
    );
}

#[test]
fn bad_field_values_are_rejected() {
    let e = error(&BASE.replace("[\"true\"]", "[]"));
    assert_eq!(e, "4:7: stage `count` has an empty `cmd`");
    let with = |line: &str| {
        BASE.replace(
            "output = \"counts\"\n",
            &format!("output = \"counts\"\n{line}\n"),
        )
    };
    let e = error(&with("timeout = \"10x\""));
    assert!(e.starts_with("6:11: invalid timeout `10x`"), "{e}");
    assert!(error(&with("timeout = \"0s\"")).starts_with("6:11: invalid timeout"));
    assert!(error(&with("timeout = \"m\"")).starts_with("6:11: invalid timeout"));
    assert_eq!(
        error(&with("parallelism = 0")),
        "6:15: `parallelism` must be at least 1"
    );
    assert!(error(&with("parallelism = -1")).starts_with("6:15:"));
    assert!(error(&with("combine = \"zip\"")).starts_with("6:11:"));
    assert!(error(&with("env = { \"A=B\" = \"x\" }")).starts_with("6:7: invalid environment"));
    assert!(error(&with("fresh = \"yes\"")).starts_with("6:9:"));
}

#[test]
fn fresh_is_parsed_and_hashed_only_when_set() {
    let with = |line: &str| {
        BASE.replace(
            "output = \"counts\"\n",
            &format!("output = \"counts\"\n{line}\n"),
        )
    };
    let base = parse_ok(BASE).stages.remove(0);
    assert!(!base.fresh);
    let off = parse_ok(&with("fresh = false")).stages.remove(0);
    // Stages written before `fresh` existed keep their hash, hence their run cache.
    assert_eq!(off.definition_hash(), base.definition_hash());
    let on = parse_ok(&with("fresh = true")).stages.remove(0);
    assert!(on.fresh);
    assert_ne!(on.definition_hash(), base.definition_hash());
}

#[test]
fn bad_paths_are_rejected() {
    for (bad, why) in [
        ("/counts", "must be relative"),
        ("a/../b", "`.` or `..`"),
        ("./a", "`.` or `..`"),
        ("a//b", "contains `//`"),
        ("", "not its root"),
        ("/", "must be relative"),
        (".pach/x", "`.pach` or `.git`"),
        (".git", "`.pach` or `.git`"),
        ("out/.GIT/hooks", "names `.git` or `.pach`"),
        ("git~1", "names `.git` or `.pach` on Windows"),
    ] {
        let e = error(&BASE.replace("\"counts\"", &format!("\"{bad}\"")));
        assert!(e.starts_with(&format!("5:10: invalid path `{bad}`")), "{e}");
        assert!(e.contains(why), "{e}");
    }
    let e = error(&BASE.replace("\"data/text\"", "\"data/../x\""));
    assert!(e.starts_with("8:8: invalid path `data/../x`"), "{e}");
}

#[test]
fn an_output_overlapping_its_own_input_is_rejected() {
    for output in ["data/text", "data/text/out", "data"] {
        let e = error(&BASE.replace("\"counts\"", &format!("\"{output}\"")));
        let expected = format!("5:10: output `{output}` of stage `count` overlaps its input");
        assert!(e.starts_with(&expected), "{e}");
    }
}

#[test]
fn overlapping_outputs_are_rejected() {
    let second = BASE
        .replace("\"count\"", "\"other\"")
        .replace("\"counts\"", "\"counts/sub\"");
    assert_eq!(
        error(&format!("{BASE}{second}")),
        "13:10: output `counts/sub` of stage `other` overlaps output `counts` of stage `count`"
    );
}

#[test]
fn an_input_neither_tracked_nor_produced_is_rejected() {
    let e = error(&BASE.replace("\"data/text\"", "\"nope\""));
    assert!(e.starts_with("8:8: input `text` of stage `count` reads `nope`, which is not"));
    // Produced by another stage (at, under, or containing its output) is fine.
    for path in ["counts", "counts/x", "results"] {
        let reader = BASE
            .replace("\"count\"", "\"reader\"")
            .replace("\"counts\"", "\"read\"")
            .replace("\"data/text\"", &format!("\"{path}\""));
        let writer = BASE.replace("\"counts\"", "\"results/counts\"");
        let writer = if path == "results" {
            writer
        } else {
            BASE.to_string()
        };
        assert_eq!(parse_ok(&format!("{reader}{writer}")).stages.len(), 2);
    }
}

#[test]
fn a_cycle_is_named() {
    let a = BASE
        .replace("\"count\"", "\"a\"")
        .replace("\"counts\"", "\"ao\"")
        .replace("\"data/text\"", "\"bo\"");
    let b = BASE
        .replace("\"count\"", "\"b\"")
        .replace("\"counts\"", "\"bo\"")
        .replace("\"data/text\"", "\"ao\"");
    assert_eq!(
        error(&format!("{a}{b}")),
        "2:8: cycle between stages: a -> b -> a"
    );
}

#[test]
fn join_on_is_required_for_join_and_forbidden_otherwise() {
    let join = BASE.replace(
        "output = \"counts\"\n",
        "output = \"counts\"\ncombine = \"join\"\n",
    );
    let e = error(&join);
    assert!(
        e.starts_with("7:1: input `text` of stage `count` needs `join_on`"),
        "{e}"
    );
    let ok = format!("{join}glob = \"/(*).csv\"\njoin_on = \"$1\"\n");
    assert_eq!(
        parse_ok(&ok).stages[0].inputs[0].join_on.as_deref(),
        Some("$1")
    );
    let e = error(&format!("{join}glob = \"/(*).csv\"\njoin_on = \"$2\"\n"));
    assert!(e.starts_with("11:11: `join_on = \"$2\"` uses `$2`"), "{e}");
    let e = error(&format!("{BASE}join_on = \"$1\"\n"));
    assert!(e.starts_with("9:11: `join_on` is only allowed"), "{e}");
}

#[test]
fn bad_globs_are_rejected() {
    let e = error(&format!("{BASE}glob = \"/**\"\n"));
    assert_eq!(e, "9:8: glob `/**`: `**` is not supported");
    let e = error(&format!("{BASE}glob = \"*\"\n"));
    assert_eq!(e, "9:8: glob `*` must start with `/`");
}

#[test]
fn definition_hash_covers_what_decides_outputs_only() {
    let base = parse_ok(BASE).stages.remove(0);
    let hash = base.definition_hash();
    assert_eq!(hash, parse_ok(BASE).stages[0].definition_hash());
    let mut s = base.clone();
    s.parallelism = Some(8);
    s.timeout = Some(Duration::from_secs(1));
    s.retries = 3;
    s.line = 40;
    assert_eq!(s.definition_hash(), hash);
    let changes: [fn(&mut Stage); 8] = [
        |s| s.image = "img:2".into(),
        |s| s.cmd.push("x".into()),
        |s| s.network = true,
        |s| s.combine = Combine::Union,
        |s| _ = s.env.insert("A".into(), "1".into()),
        |s| s.inputs[0].glob = Glob::parse("/*").unwrap(),
        |s| s.inputs[0].name = "other".into(),
        |s| s.fresh = true,
    ];
    for change in changes {
        let mut s = base.clone();
        change(&mut s);
        assert_ne!(s.definition_hash(), hash);
    }
}

#[test]
fn line_column_counts_characters() {
    assert_eq!(line_column("ab\ncd", 0), (1, 1));
    assert_eq!(line_column("ab\ncd", 4), (2, 2));
    assert_eq!(line_column("é\néx", 6), (2, 3));
    assert_eq!(line_column("ab", 99), (1, 3));
}

#[test]
fn durations_parse() {
    assert_eq!(parse_duration("90s"), Some(Duration::from_secs(90)));
    assert_eq!(parse_duration("2h"), Some(Duration::from_secs(7200)));
    assert_eq!(parse_duration("1d"), Some(Duration::from_secs(86_400)));
    assert_eq!(parse_duration("10"), Some(Duration::from_secs(10)));
    for bad in ["", "s", "1.5x", "-1m", "99999999999999999999d", "0m", "0"] {
        assert_eq!(parse_duration(bad), None, "{bad}");
    }
}

#[test]
fn settings_are_read_alone_and_their_errors_have_a_position() {
    let settings = |text: &str| parse_settings(text, Path::new("pach.toml"));
    // The stages are skipped, even invalid ones.
    let s = settings("[settings]\nrun_on_commit = true\n\n[[stage]]\nname = \"Bad Name\"\n");
    assert!(s.unwrap().run_on_commit);
    assert!(!settings("").unwrap().run_on_commit);
    assert!(
        !settings(EXAMPLE.replace("true", "false").as_str())
            .unwrap()
            .run_on_commit
    );
    let shown = |text: &str| settings(text).unwrap_err().to_string();
    let typo = shown("[settings]\nrun_on_comit = true\n");
    assert!(
        typo.starts_with("pach.toml:2:1: ") && typo.contains("run_on_comit"),
        "{typo}"
    );
    let kind = shown("[settings]\nrun_on_commit = 1\n");
    assert!(kind.starts_with("pach.toml:2:17: "), "{kind}");
    let top = shown("colour = 1\n");
    assert!(
        top.starts_with("pach.toml:1:1: ") && top.contains("colour"),
        "{top}"
    );
    assert!(shown("[[stage]\n").starts_with("pach.toml:1:"));
}
