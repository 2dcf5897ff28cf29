//! Unit tests of `pipeline::datum`.

use super::*;
use crate::pipeline::Input;

fn entry(content: &str) -> FileEntry {
    FileEntry {
        kind: EntryKind::File,
        id: ObjectId::of(content.as_bytes()),
        size: content.len() as u64,
        exec: false,
    }
}

fn snapshot(paths: &[&str]) -> FlatTree {
    paths.iter().map(|p| (p.to_string(), entry(p))).collect()
}

fn input(name: &str, path: &str, glob: &str, join_on: Option<&str>) -> Input {
    Input {
        name: name.into(),
        path: path.into(),
        glob: Glob::parse(glob).unwrap(),
        join_on: join_on.map(Into::into),
    }
}

fn stage(combine: Combine, inputs: Vec<Input>) -> Stage {
    Stage {
        name: "s".into(),
        image: "img:1".into(),
        cmd: vec!["true".into()],
        output: "out".into(),
        parallelism: None,
        env: BTreeMap::new(),
        network: false,
        fresh: false,
        timeout: None,
        retries: 0,
        combine,
        inputs,
        line: 1,
    }
}

fn roots(datums: &[Datum]) -> Vec<Vec<String>> {
    let roots = |d: &Datum| d.inputs.iter().map(|i| i.root.clone()).collect();
    datums.iter().map(roots).collect()
}

fn salt() -> ObjectId {
    ObjectId::of(b"salt")
}

const TREE: &[&str] = &[
    "data/a/1.txt",
    "data/a/2.txt",
    "data/b/3.txt",
    "data/c.txt",
    "data-x/y",
    "database/x",
    "other/z",
];

#[test]
fn glob_depth_and_pattern() {
    assert_eq!(Glob::parse("/").unwrap().depth(), 0);
    assert_eq!(Glob::parse("/*").unwrap().depth(), 1);
    assert_eq!(Glob::parse("/*/*").unwrap().depth(), 2);
    assert_eq!(Glob::parse("/(*).csv").unwrap().pattern(), "/(*).csv");
    assert_eq!(Glob::parse("/(*)/(?)*").unwrap().groups(), 2);
}

#[test]
fn glob_rejects_bad_patterns() {
    for bad in [
        "", "*", "a/*", "/**", "/a**", "/a//b", "/*/", "/(a", "/a)", "/((a))",
    ] {
        assert!(Glob::parse(bad).is_err(), "{bad} should be rejected");
    }
    for bad in ["/[ab]", "/{a,b}", "/a\\b", "/..", "/."] {
        assert!(Glob::parse(bad).is_err(), "{bad} should be rejected");
    }
    assert_eq!(
        Glob::parse("x").unwrap_err(),
        "glob `x` must start with `/`"
    );
}

#[test]
fn glob_matches_whole_components_and_returns_captures() {
    let root = Glob::parse("/").unwrap();
    assert_eq!(root.captures(""), Some(vec![]));
    assert_eq!(root.captures("a"), None);
    let star = Glob::parse("/*").unwrap();
    assert_eq!(star.captures("a.csv"), Some(vec![]));
    assert_eq!(star.captures("a/b"), None);
    let csv = Glob::parse("/(*).csv").unwrap();
    assert_eq!(csv.captures("jan.csv"), Some(vec!["jan".to_string()]));
    assert_eq!(csv.captures("jan.json"), None);
    assert_eq!(csv.captures("x/jan.csv"), None);
    let two = Glob::parse("/(*)/(?)?.txt").unwrap();
    assert_eq!(
        two.captures("eu/ab.txt"),
        Some(vec!["eu".into(), "a".into()])
    );
    assert_eq!(two.captures("eu/abc.txt"), None);
}

#[test]
fn glob_literals_are_not_regex() {
    let g = Glob::parse("/a.b+c").unwrap();
    assert!(g.captures("a.b+c").is_some());
    assert!(g.captures("aXbbc").is_none());
}

#[test]
fn root_glob_makes_one_datum_of_the_whole_path() {
    let s = stage(Combine::Cross, vec![input("in", "data", "/", None)]);
    let d = datums(&s, &snapshot(TREE), &salt());
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].inputs[0].root, "");
    let files: Vec<&str> = d[0].inputs[0]
        .files
        .iter()
        .map(|(p, _)| p.as_str())
        .collect();
    assert_eq!(files, ["a/1.txt", "a/2.txt", "b/3.txt", "c.txt"]);
    assert_eq!(d[0].inputs[0].files[0].1, entry("data/a/1.txt"));
    assert_eq!(d[0].id(), d[0].key.hex()[..12]);
}

#[test]
fn star_glob_makes_one_datum_per_top_level_entry() {
    let s = stage(Combine::Cross, vec![input("in", "data", "/*", None)]);
    let d = datums(&s, &snapshot(TREE), &salt());
    assert_eq!(roots(&d), [["a"], ["b"], ["c.txt"]]);
    let files: Vec<&str> = d[0].inputs[0]
        .files
        .iter()
        .map(|(p, _)| p.as_str())
        .collect();
    assert_eq!(files, ["a/1.txt", "a/2.txt"]);
    assert_eq!(d[2].inputs[0].files[0].0, "c.txt");
}

#[test]
fn star_star_glob_skips_shallower_files() {
    let s = stage(Combine::Cross, vec![input("in", "data", "/*/*", None)]);
    let d = datums(&s, &snapshot(TREE), &salt());
    assert_eq!(roots(&d), [["a/1.txt"], ["a/2.txt"], ["b/3.txt"]]);
}

#[test]
fn a_file_input_path_and_a_missing_one() {
    let s = stage(Combine::Cross, vec![input("in", "data/c.txt", "/", None)]);
    let d = datums(&s, &snapshot(TREE), &salt());
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].inputs[0].files[0].0, "");
    let s = stage(Combine::Cross, vec![input("in", "nothing", "/*", None)]);
    assert!(datums(&s, &snapshot(TREE), &salt()).is_empty());
}

const XY: &[&str] = &["x/1", "x/2", "y/a", "y/b", "y/c"];

fn xy(combine: Combine) -> Stage {
    let inputs = vec![input("x", "x", "/*", None), input("y", "y", "/*", None)];
    stage(combine, inputs)
}

#[test]
fn cross_of_two_by_three_gives_six_datums_in_order() {
    let d = datums(&xy(Combine::Cross), &snapshot(XY), &salt());
    assert_eq!(
        roots(&d),
        [
            ["1", "a"],
            ["1", "b"],
            ["1", "c"],
            ["2", "a"],
            ["2", "b"],
            ["2", "c"]
        ]
    );
    assert_eq!(d[0].inputs[0].input, "x");
    assert_eq!(d[0].inputs[1].input, "y");
}

#[test]
fn cross_with_an_empty_input_gives_nothing() {
    let d = datums(&xy(Combine::Cross), &snapshot(&["x/1", "x/2"]), &salt());
    assert!(d.is_empty());
}

#[test]
fn union_gives_each_entry_on_its_own() {
    let d = datums(&xy(Combine::Union), &snapshot(XY), &salt());
    assert_eq!(roots(&d), [["1"], ["2"], ["a"], ["b"], ["c"]]);
    let names: Vec<&str> = d.iter().map(|d| d.inputs[0].input.as_str()).collect();
    assert_eq!(names, ["x", "x", "y", "y", "y"]);
}

#[test]
fn join_pairs_entries_by_capture_and_skips_unmatched() {
    let tree = ["csv/a.csv", "csv/b.csv", "csv/c.csv", "csv/notes.txt"];
    let tree = snapshot(&[&tree[..], &["json/a.json", "json/c.json", "json/d.json"]].concat());
    let inputs = vec![
        input("left", "csv", "/(*).csv", Some("$1")),
        input("right", "json", "/(*).json", Some("$1")),
    ];
    let d = datums(&stage(Combine::Join, inputs), &tree, &salt());
    assert_eq!(roots(&d), [["a.csv", "a.json"], ["c.csv", "c.json"]]);
}

#[test]
fn join_gives_one_datum_per_combination_of_a_key() {
    let tree = snapshot(&["l/a_1.csv", "l/a_2.csv", "l/b_1.csv", "r/a.json"]);
    let inputs = vec![
        input("l", "l", "/(*)_(*).csv", Some("$1")),
        input("r", "r", "/(*).json", Some("$1")),
    ];
    let d = datums(&stage(Combine::Join, inputs), &tree, &salt());
    assert_eq!(roots(&d), [["a_1.csv", "a.json"], ["a_2.csv", "a.json"]]);
}

#[test]
fn keys_are_stable_and_change_only_with_their_inputs() {
    let s = xy(Combine::Cross);
    let before = datums(&s, &snapshot(XY), &salt());
    assert_eq!(before, datums(&s, &snapshot(XY), &salt()));
    let mut changed = snapshot(XY);
    changed.insert("x/2".into(), entry("new bytes"));
    let after = datums(&s, &changed, &salt());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(
            b.key == a.key,
            b.inputs[0].root == "1",
            "{:?}",
            roots(std::slice::from_ref(b))
        );
    }
    let other_salt = datums(&s, &snapshot(XY), &ObjectId::of(b"other"));
    assert!(before.iter().zip(&other_salt).all(|(b, o)| b.key != o.key));
}

#[test]
fn keys_change_with_file_names_and_modes() {
    let s = stage(Combine::Cross, vec![input("in", "d", "/", None)]);
    let key = |tree: &FlatTree| datums(&s, tree, &salt())[0].key;
    let base: FlatTree = [("d/a".to_string(), entry("1"))].into();
    let renamed: FlatTree = [("d/b".to_string(), entry("1"))].into();
    let mut exec = base.clone();
    exec.get_mut("d/a").unwrap().exec = true;
    assert_ne!(key(&base), key(&renamed));
    assert_ne!(key(&base), key(&exec));
}

#[test]
fn join_on_templates_are_checked_and_expanded() {
    assert!(check_join_on("$1", 1).is_ok());
    assert!(check_join_on("$1-$2", 2).is_ok());
    assert!(check_join_on("$2", 1).is_err());
    assert!(check_join_on("$0", 1).is_err());
    assert!(check_join_on("$x", 1).is_err());
    let caps = vec!["a".to_string(), "b".to_string()];
    assert_eq!(expand("$2-$1", &caps), "b-a");
    assert_eq!(expand("k", &caps), "k");
}
