//! gc keeps what fetch brought (remote-tracking refs are roots) and leaves no database row
//! (reflog rows included) naming an object it deleted.

use super::common::TestRepo;

#[test]
fn fetched_objects_survive_gc_with_no_grace() {
    let a = TestRepo::init();
    a.commit_files("one", &[("d/x.txt", "fetched\n")]);
    let url = a.base().join("remote").to_str().unwrap().to_string();
    a.pach(["remote", "add", "origin", &url]).assert().success();
    a.pach(["push"]).assert().success();
    let head = a.head();

    let b = TestRepo::init();
    b.pach(["remote", "add", "origin", &url]).assert().success();
    b.pach(["fetch"]).assert().success();
    let blob = blake3::hash(b"fetched\n").to_hex().to_string();
    assert!(b.object_path(&blob).is_file());
    b.pach(["gc", "--grace", "0"]).assert().success();
    assert!(b.object_path(&blob).is_file(), "gc deleted a fetched blob");
    assert!(
        b.object_path(&head).is_file(),
        "gc deleted a fetched commit"
    );
    b.pach(["fsck"]).assert().success();
    // What was fetched is still usable.
    b.pach(["branch", "theirs", &head]).assert().success();
    b.pach(["checkout", "theirs"]).assert().success();
    assert_eq!(b.read_str("d/x.txt"), "fetched\n");
}

/// Lists (table, object id) of every row that names an object.
fn rows(db: &std::path::Path) -> Vec<(String, String)> {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut out = Vec::new();
    for (table, sql) in [
        ("commits", "SELECT id FROM commits"),
        ("versions.commit", "SELECT commit_id FROM versions"),
        ("versions.oid", "SELECT lower(hex(oid)) FROM versions"),
        ("runs", "SELECT id FROM runs"),
        ("run_cache", "SELECT run FROM run_cache"),
        ("absent", "SELECT lower(hex(oid)) FROM absent_objects"),
        ("reflog.old", "SELECT old FROM reflog WHERE old IS NOT NULL"),
        ("reflog.new", "SELECT new FROM reflog WHERE new IS NOT NULL"),
    ] {
        let mut st = c.prepare(sql).unwrap();
        for r in st.query_map([], |r| r.get::<_, String>(0)).unwrap() {
            out.push((table.to_string(), r.unwrap()));
        }
    }
    out
}

#[test]
fn gc_leaves_no_row_naming_a_deleted_object() {
    let a = TestRepo::init();
    a.commit_files("one", &[("x.txt", "1\n")]);
    a.pach(["checkout", "-b", "side"]).assert().success();
    let side = a.commit_files("side", &[("side.txt", "only on side\n")]);
    a.pach(["checkout", "main"]).assert().success();
    a.pach(["branch", "-d", "side"]).assert().success();
    // The reflog keeps what a deleted branch held for its retention; none here.
    a.write(".pach/config.toml", "[gc]\nreflog = \"0s\"\n");
    let db = a.pach_dir().join("pach.db");
    assert!(
        rows(&db).iter().any(|(_, id)| *id == side),
        "the side commit is indexed before gc"
    );
    a.pach(["gc", "--grace", "0"]).assert().success();
    assert!(
        !a.object_path(&side).exists(),
        "gc kept an unreachable commit"
    );
    for (table, id) in rows(&db) {
        assert!(
            a.object_path(&id).exists(),
            "{table} names object {id}, which gc deleted"
        );
    }
}
