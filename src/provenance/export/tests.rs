//! The renderings of a provenance graph, pinned on small graphs.

use super::super::testutil::Fixture;
use super::super::upstream;
use super::*;

#[test]
fn iso_times_are_rfc3339() {
    assert_eq!(iso_ms(0), "1970-01-01T00:00:00.000Z");
    assert_eq!(iso_ms(1_700_000_000_123), "2023-11-14T22:13:20.123Z");
}

#[test]
fn tree_shows_runs_and_the_hand_added_origin() {
    let t = Fixture::wordcount();
    let g = upstream(&t.repo, "HEAD", "total/total.txt", None).unwrap();
    let s = tree(&g);
    assert!(s.starts_with("total/total.txt  "), "{s}");
    assert!(s.contains("stage total"), "{s}");
    assert!(s.contains("stage count"), "{s}");
    assert!(s.contains(&format!(
            "data/a.txt  {}",
            g.files()
                .find(|f| f.path == "data/a.txt")
                .unwrap()
                .object
                .short()
        )));
    assert!(
        s.contains(&format!(
            "added by hand in commit {} by Ada <ada@example.com>",
            t.added.short()
        )),
        "{s}"
    );
}

#[test]
fn dot_mermaid_and_lineage_name_every_node() {
    let t = Fixture::wordcount();
    let g = upstream(&t.repo, "HEAD", "total/total.txt", None).unwrap();
    let d = dot(&g);
    assert!(d.starts_with("digraph provenance {") && d.ends_with("}\n"));
    assert_eq!(d.matches(" -> ").count(), g.edges.len());
    assert_eq!(d.matches("shape=note").count(), 5);
    let m = mermaid(&g);
    assert_eq!(m.matches("-->|").count(), g.edges.len());
    let lines: Vec<Value> = openlineage(&g, "proj")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[2]["job"]["name"], "total");
    assert_eq!(lines[2]["run"]["runId"].as_str().unwrap().len(), 36);
    let p: Value = serde_json::from_str(&prov_json(&g, "proj")).unwrap();
    assert_eq!(p["activity"].as_object().unwrap().len(), 4);
    assert_eq!(p["wasDerivedFrom"].as_object().unwrap().len(), 4);
}

/// A published schema, vendored under tests/fixtures/schemas (see its README).
fn schema(name: &str) -> Value {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schemas");
    let text = std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn check(schema: &Value, doc: &Value) {
    let v = jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap();
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{doc:#}");
}

#[test]
fn prov_json_and_openlineage_match_their_published_schemas() {
    let t = Fixture::wordcount();
    let up = upstream(&t.repo, "HEAD", "total/total.txt", None).unwrap();
    let down = super::super::downstream(&t.repo, "HEAD", "data", None, &[]).unwrap();
    let s = schema("prov-json.json");
    for g in [&up, &down] {
        check(&s, &serde_json::from_str(&prov_json(g, "my proj")).unwrap());
    }
    let s = schema("openlineage-2-0-2.json");
    for line in openlineage(&up, "proj").lines() {
        check(&s, &serde_json::from_str(line).unwrap());
    }
    // The validator does reject a broken event (so the checks above mean something).
    let mut bad: Value =
        serde_json::from_str(openlineage(&up, "p").lines().next().unwrap()).unwrap();
    bad.as_object_mut().unwrap().remove("eventTime");
    assert!(!jsonschema::validator_for(&s).unwrap().is_valid(&bad));
}

#[test]
fn dot_output_parses_with_graphviz() {
    let t = Fixture::wordcount();
    let g = upstream(&t.repo, "HEAD", "total", None).unwrap();
    let child = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        // libtest captures `eprintln!`; a write to the handle reaches the terminal.
        let msg = b"SKIPPED: `dot` (Graphviz) not found\n";
        let _ = std::io::Write::write_all(&mut std::io::stderr(), msg);
        return;
    };
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot(&g).as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
}

#[test]
fn a_purged_input_is_marked_in_every_rendering_and_is_not_a_problem() {
    use crate::store::purge::{PurgeRecord, PurgedObject};
    let mut t = Fixture::wordcount();
    let before = upstream(&t.repo, "HEAD", "total/total.txt", None).unwrap();
    let a = before.files().find(|f| f.path == "data/a.txt").unwrap();
    assert!(a.purged.is_none() && !tree(&before).contains("purged"));
    let record = PurgeRecord {
        objects: vec![PurgedObject {
            id: a.object,
            size: 1,
        }],
        reason: "erasure request".into(),
        author: crate::store::Author {
            name: "Ada".into(),
            email: "ada@example.com".into(),
        },
        time: 1_700_000_300,
    };
    let purge = t.repo.store().write_purge(&record).unwrap();
    t.repo.finish_purges().unwrap();
    assert!(!t.repo.store().contains(&a.object), "the bytes are gone");

    let g = upstream(&t.repo, "HEAD", "total/total.txt", None).unwrap();
    let f = g.files().find(|f| f.path == "data/a.txt").unwrap();
    let mark = f.purged.as_ref().expect("marked purged");
    assert_eq!(
        (mark.purge, mark.reason.as_str()),
        (purge, "erasure request")
    );
    assert_eq!(g.files().filter(|f| f.purged.is_some()).count(), 1);
    assert!(
        super::super::verify(&t.repo, &g).is_empty(),
        "purged bytes are not a problem"
    );
    let text = tree(&g);
    assert!(
        text.contains(&format!("purged by {} at 2023-11-14T22:", purge.short())),
        "{text}"
    );
    assert!(text.contains("erasure request"), "{text}");
    assert_eq!(dot(&g).matches("dashed").count(), 1);
    assert_eq!(mermaid(&g).matches("purged").count(), 1);
    let p: Value = serde_json::from_str(&prov_json(&g, "proj")).unwrap();
    let entity = &p["entity"][format!("pach:file/{}/data/a.txt", f.object.hex())];
    assert_eq!(entity["pach:purge"], format!("pach:purge/{}", purge.hex()));
    check(&schema("prov-json.json"), &p);
    let s = schema("openlineage-2-0-2.json");
    let mut facets = 0;
    for line in openlineage(&g, "proj").lines() {
        let ev: Value = serde_json::from_str(line).unwrap();
        check(&s, &ev);
        for i in ev["inputs"].as_array().unwrap() {
            if let Some(fc) = i.get("facets") {
                assert_eq!(i["name"], "data/a.txt");
                assert_eq!(fc["pach_purge"]["purge"], purge.hex());
                facets += 1;
            }
        }
    }
    assert_eq!(facets, 1, "the run that read it carries the facet");
    let down = super::super::downstream(&t.repo, "HEAD", "data", None, &[]).unwrap();
    assert_eq!(down.files().filter(|f| f.purged.is_some()).count(), 1);
}
