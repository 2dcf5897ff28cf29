//! Renderings of a provenance graph as text: an indented tree, Graphviz `dot`, a Mermaid
//! flowchart, W3C PROV-JSON and OpenLineage run events. Pure functions; printing is the CLI's.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::{Map, Value, json};

use super::{
    CommitProvenance, Direction, EdgeKind, FileNode, Graph, Node, Origin, Purged, RunNode,
};

/// The OpenLineage spec version the events follow.
pub const OPENLINEAGE_SCHEMA: &str =
    "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";

/// The producer URI of pach's OpenLineage events.
pub const PRODUCER: &str = "https://github.com/pach/pach";

/// Formats milliseconds since the epoch as RFC 3339 UTC (`2023-11-14T22:13:20.000Z`).
pub fn iso_ms(ms: i64) -> String {
    crate::time::rfc3339_millis(ms)
}

/// Formats Unix seconds as RFC 3339 UTC (`2023-11-14T22:13:20Z`).
fn when(secs: i64) -> String {
    crate::time::rfc3339_seconds(secs)
}

/// Where the OpenLineage `pach_purge` dataset facet is described.
pub const PURGE_FACET: &str = "https://github.com/pach/pach/blob/main/docs/PURGE.md#provenance";

/// A purge as the text renderings say it.
fn purged_text(p: &Purged) -> String {
    format!(
        "purged by {} at {}: {}",
        p.purge.short(),
        when(p.time),
        p.reason
    )
}

/// Renders the graph as an indented tree from its roots, with short ids.
///
/// Upstream, a file's children are the run that made it and that run's inputs; downstream,
/// the runs that used it and their outputs. A node reached twice is shown once.
pub fn tree(g: &Graph) -> String {
    let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for e in &g.edges {
        let (parent, child) = match g.direction {
            Direction::Upstream => (&e.to, &e.from),
            Direction::Downstream => (&e.from, &e.to),
        };
        children.entry(parent).or_default().push(child);
    }
    let mut out = String::new();
    let mut shown = std::collections::HashSet::new();
    // (node, prefix for its first line, prefix for the lines under it)
    let mut stack: Vec<(&str, String, String)> = Vec::new();
    for root in g.roots.iter().rev() {
        stack.push((root, String::new(), String::new()));
    }
    while let Some((id, first, rest)) = stack.pop() {
        let Some(node) = g.nodes.get(id) else {
            continue;
        };
        let again = !shown.insert(id);
        match node {
            Node::File(f) => writeln!(out, "{first}{}", file_line(f, g.direction)),
            Node::Run(r) => writeln!(out, "{first}{}", run_line(r)),
        }
        .expect("writing to a String cannot fail");
        if again {
            if children.contains_key(id) {
                writeln!(out, "{rest}└─ (shown above)").expect("writing to a String");
            }
            continue;
        }
        if let Node::Run(r) = node {
            for l in run_details(r) {
                writeln!(out, "{rest}│ {l}").expect("writing to a String cannot fail");
            }
        }
        let kids = children.get(id).map(Vec::as_slice).unwrap_or(&[]);
        for (i, k) in kids.iter().enumerate().rev() {
            let last = i + 1 == kids.len();
            let (a, b) = if last {
                ("└─ ", "   ")
            } else {
                ("├─ ", "│  ")
            };
            stack.push((k, format!("{rest}{a}"), format!("{rest}{b}")));
        }
    }
    out
}

fn file_line(f: &FileNode, dir: Direction) -> String {
    let mut s = format!("{}  {}", f.path, f.object.short());
    let added = |s: &mut String, what: &str| match &f.entered {
        Some(e) => {
            let a = &e.author;
            let c = e.commit.short();
            let t = when(e.time);
            write!(
                s,
                "  {what} in commit {c} by {} <{}> at {t}",
                a.name, a.email
            )
        }
        None => write!(s, "  {what} (no commit records it)"),
    };
    match &f.origin {
        Origin::Added => added(&mut s, "added by hand"),
        Origin::Unknown => write!(s, "  origin unknown (no run made it, no commit records it)"),
        Origin::NotTraced => write!(s, "  (not traced further: --depth)"),
        Origin::Generated { .. } if dir == Direction::Upstream => match &f.entered {
            Some(e) => write!(s, "  entered in commit {}", e.commit.short()),
            None => Ok(()),
        },
        Origin::Generated { .. } => Ok(()),
    }
    .expect("writing to a String cannot fail");
    for r in &f.renamed {
        write!(
            s,
            "; renamed from {} in commit {}",
            r.from,
            r.commit.short()
        )
        .expect("writing to a String cannot fail");
    }
    if !f.presence.is_empty() {
        let p: Vec<String> = f
            .presence
            .iter()
            .map(|p| {
                format!(
                    "{}: {}",
                    p.branch,
                    if p.present { "present" } else { "absent" }
                )
            })
            .collect();
        write!(s, "  [{}]", p.join(", ")).expect("writing to a String cannot fail");
    }
    if let Some(p) = &f.purged {
        write!(s, "  [{}]", purged_text(p)).expect("writing to a String cannot fail");
    }
    s
}

fn run_line(r: &RunNode) -> String {
    let rec = &r.record;
    format!(
        "run {}  stage {}  datum {}  exit {}",
        r.run.short(),
        rec.stage,
        rec.datum.short(),
        rec.exit
    ) + &r
        .log_purged
        .as_ref()
        .map_or(String::new(), |p| format!("  [log {}]", purged_text(p)))
}

fn run_details(r: &RunNode) -> Vec<String> {
    let rec = &r.record;
    let image_id = rec
        .image
        .id
        .strip_prefix("sha256:")
        .unwrap_or(&rec.image.id);
    let code = match &rec.code {
        Some(c) => {
            let g = c.git_commit.as_deref().unwrap_or("(no commits)");
            format!(
                "git {}{}",
                &g[..g.len().min(12)],
                if c.dirty { " (dirty)" } else { "" }
            )
        }
        None => "(not in a git repository)".into(),
    };
    let secs = (rec.end_ms - rec.start_ms) as f64 / 1000.0;
    vec![
        format!(
            "image {} ({})",
            rec.image.tag,
            &image_id[..image_id.len().min(12)]
        ),
        format!(
            "cmd {}",
            serde_json::to_string(&rec.cmd).expect("strings serialise")
        ),
        format!("code {code}"),
        format!(
            "ran {} for {secs:.1} s",
            when(rec.start_ms.div_euclid(1000))
        ),
        format!(
            "runner {} {} on {} as {}",
            rec.runner.kind, rec.runner.version, rec.runner.host, rec.runner.user
        ),
    ]
}

/// Renders commit-level provenance as text.
pub fn commit_tree(p: &CommitProvenance) -> String {
    let mut out = format!(
        "commit {}  {}\n",
        p.commit.short(),
        p.message.lines().next().unwrap_or("")
    );
    if p.stages.is_empty() {
        out.push_str("└─ no runs: made by `pach commit`\n");
    }
    for (i, s) in p.stages.iter().enumerate() {
        let last = i + 1 == p.stages.len();
        let (a, b) = if last {
            ("└─ ", "   ")
        } else {
            ("├─ ", "│  ")
        };
        let head = format!(
            "stage {}: {} run(s), {} output(s), inputs from:",
            s.stage, s.runs, s.outputs
        );
        out.push_str(&format!("{a}{head}\n"));
        for (j, c) in s.inputs_from.iter().enumerate() {
            let l = if j + 1 == s.inputs_from.len() {
                "└─ "
            } else {
                "├─ "
            };
            let what = match (&c.commit, c.time, &c.message) {
                (Some(id), Some(t), Some(m)) => format!("commit {}  {}  {m}", id.short(), when(t)),
                _ => "(no commit records them)".to_string(),
            };
            out.push_str(&format!("{b}{l}{what}  ({} file(s))\n", c.files));
        }
    }
    out
}

fn dot_str(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\r' => {}
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// Renders the graph for Graphviz: files as notes, runs as filled ellipses, data flowing
/// left to right.
pub fn dot(g: &Graph) -> String {
    let mut o = String::from(
        "digraph provenance {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=8];\n",
    );
    for n in g.nodes.values() {
        let line = match n {
            Node::File(f) => {
                let mut label = format!("{}\n{}", f.path, f.object.short());
                let style = match (&f.purged, g.roots.contains(&f.id)) {
                    (Some(p), root) => {
                        label.push_str(&format!("\npurged {}", p.purge.short()));
                        if root {
                            ", style=\"bold,dashed\""
                        } else {
                            ", style=dashed"
                        }
                    }
                    (None, true) => ", style=bold",
                    (None, false) => "",
                };
                format!(
                    "  {} [shape=note, label={}{style}];\n",
                    dot_str(&f.id),
                    dot_str(&label)
                )
            }
            Node::Run(r) => {
                let label = format!("{}\nrun {}", r.record.stage, r.run.short());
                let fill = if r.record.exit == 0 {
                    "#dbe8f7"
                } else {
                    "#f7d4d4"
                };
                format!(
                    "  {} [shape=ellipse, style=filled, fillcolor=\"{fill}\", label={}];\n",
                    dot_str(&r.id),
                    dot_str(&label)
                )
            }
        };
        o.push_str(&line);
    }
    for e in &g.edges {
        let kind = edge_name(e.kind);
        let _ = writeln!(
            o,
            "  {} -> {} [label=\"{kind}\"];",
            dot_str(&e.from),
            dot_str(&e.to)
        );
    }
    o.push_str("}\n");
    o
}

fn edge_name(k: EdgeKind) -> &'static str {
    match k {
        EdgeKind::Used => "used",
        EdgeKind::Generated => "generated",
    }
}

fn mermaid_text(s: &str) -> String {
    let mut o = String::new();
    for c in s.chars() {
        match c {
            '"' => o.push_str("#quot;"),
            '<' => o.push_str("#lt;"),
            '>' => o.push_str("#gt;"),
            '#' => o.push_str("#35;"),
            '\n' | '\r' => o.push(' '),
            c => o.push(c),
        }
    }
    o
}

/// Renders the graph as a Mermaid flowchart: files as rectangles, runs as stadiums.
pub fn mermaid(g: &Graph) -> String {
    let names: BTreeMap<&str, String> = g
        .nodes
        .keys()
        .enumerate()
        .map(|(i, k)| (k.as_str(), format!("n{i}")))
        .collect();
    let mut o = String::from("flowchart LR\n");
    for (id, n) in &g.nodes {
        let name = &names[id.as_str()];
        let _ = match n {
            Node::File(f) => {
                let purged = f.purged.as_ref().map_or(String::new(), |p| {
                    format!("<br/>purged {}", p.purge.short())
                });
                let label = mermaid_text(&format!("{}<br/>{}{purged}", f.path, f.object.short()));
                writeln!(o, "  {name}[\"{}\"]", label.replace("#lt;br/#gt;", "<br/>"))
            }
            Node::Run(r) => {
                let label = format!(
                    "{}<br/>run {}",
                    mermaid_text(&r.record.stage),
                    r.run.short()
                );
                writeln!(o, "  {name}([\"{label}\"])")
            }
        };
    }
    for e in &g.edges {
        let (Some(a), Some(b)) = (names.get(e.from.as_str()), names.get(e.to.as_str())) else {
            continue;
        };
        let _ = writeln!(o, "  {a} -->|{}| {b}", edge_name(e.kind));
    }
    o
}

fn prov_file(f: &FileNode) -> String {
    format!("pach:file/{}/{}", f.object.hex(), f.path)
}

/// Renders the graph as W3C PROV-JSON: file versions are entities, runs (and the commits
/// that added files by hand) activities, images and authors agents.
pub fn prov_json(g: &Graph, project: &str) -> String {
    let mut doc: BTreeMap<&str, Map<String, Value>> = BTreeMap::new();
    let mut put = |section: &'static str, id: String, v: Value| {
        doc.entry(section).or_default().insert(id, v);
    };
    let files: BTreeMap<&str, &FileNode> = g.files().map(|f| (f.id.as_str(), f)).collect();
    for f in files.values() {
        let mut e = json!({
            "prov:type": "pach:File", "prov:label": f.path,
            "pach:path": f.path, "pach:object": f.object.hex(),
        });
        if let Some(en) = &f.entered {
            e["pach:enteredIn"] = json!(format!("pach:commit/{}", en.commit.hex()));
        }
        if let Some(p) = &f.purged {
            e["pach:purge"] = json!(format!("pach:purge/{}", p.purge.hex()));
            e["pach:purgedAt"] = json!(when(p.time));
            e["pach:purgeReason"] = json!(p.reason);
        }
        put("entity", prov_file(f), e);
        if let (Origin::Added, Some(en)) = (&f.origin, &f.entered) {
            let act = format!("pach:commit/{}", en.commit.hex());
            let agent = format!("pach:user/{}", en.author.email);
            put(
                "activity",
                act.clone(),
                json!({
                    "prov:type": "pach:Commit", "prov:label": en.message,
                    "prov:startTime": when(en.time), "prov:endTime": when(en.time),
                }),
            );
            put(
                "agent",
                agent.clone(),
                json!({
                    "prov:type": "prov:Person", "pach:name": en.author.name, "pach:email": en.author.email,
                }),
            );
            put(
                "wasGeneratedBy",
                format!("_:gen-{}", f.id),
                json!({
                    "prov:entity": prov_file(f), "prov:activity": act, "prov:time": when(en.time),
                }),
            );
            put(
                "wasAssociatedWith",
                format!("_:assoc-{}-{}", en.commit.hex(), en.author.email),
                json!({
                    "prov:activity": act, "prov:agent": agent,
                }),
            );
            put(
                "wasAttributedTo",
                format!("_:attr-{}", f.id),
                json!({
                    "prov:entity": prov_file(f), "prov:agent": format!("pach:user/{}", en.author.email),
                }),
            );
        }
    }
    for r in g.runs() {
        let rec = &r.record;
        let act = format!("pach:run/{}", r.run.hex());
        let image = format!("pach:image/{}", rec.image.id);
        let mut activity = json!({
            "prov:type": "pach:Run", "prov:label": format!("{} {}", rec.stage, rec.datum.short()),
            "prov:startTime": iso_ms(rec.start_ms), "prov:endTime": iso_ms(rec.end_ms),
            "pach:stage": rec.stage, "pach:datum": rec.datum.hex(), "pach:exit": rec.exit,
            "pach:cmd": rec.cmd, "pach:log": rec.log.hex(), "pach:runner": format!(
                "{} {} on {} as {}", rec.runner.kind, rec.runner.version, rec.runner.host, rec.runner.user),
        });
        if let Some(p) = &r.log_purged {
            activity["pach:logPurge"] = json!(format!("pach:purge/{}", p.purge.hex()));
        }
        put("activity", act.clone(), activity);
        put(
            "agent",
            image.clone(),
            json!({
                "prov:type": "prov:SoftwareAgent", "prov:label": rec.image.tag, "pach:imageId": rec.image.id,
            }),
        );
        put(
            "wasAssociatedWith",
            format!("_:assoc-{}", r.run.hex()),
            json!({
                "prov:activity": act, "prov:agent": image,
            }),
        );
    }
    let used: Vec<(&str, &str)> = g
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::Used)
        .map(|e| (e.from.as_str(), e.to.as_str()))
        .collect();
    for e in &g.edges {
        let (file, run) = match e.kind {
            EdgeKind::Used => (&e.from, &e.to),
            EdgeKind::Generated => (&e.to, &e.from),
        };
        let (Some(f), Some(Node::Run(r))) = (files.get(file.as_str()), g.nodes.get(run)) else {
            continue;
        };
        let act = format!("pach:run/{}", r.run.hex());
        if e.kind == EdgeKind::Used {
            put(
                "used",
                format!("_:use-{}-{}", r.run.hex(), f.id),
                json!({
                    "prov:activity": act, "prov:entity": prov_file(f), "prov:time": iso_ms(r.record.start_ms),
                }),
            );
            continue;
        }
        put(
            "wasGeneratedBy",
            format!("_:gen-{}", f.id),
            json!({
                "prov:entity": prov_file(f), "prov:activity": act, "prov:time": iso_ms(r.record.end_ms),
            }),
        );
        for (input, _) in used.iter().filter(|(_, to)| *to == run.as_str()) {
            if let Some(i) = files.get(input) {
                put(
                    "wasDerivedFrom",
                    format!("_:der-{}-{}", f.id, i.id),
                    json!({
                        "prov:generatedEntity": prov_file(f), "prov:usedEntity": prov_file(i), "prov:activity": act,
                    }),
                );
            }
        }
    }
    let mut out = Map::new();
    out.insert(
        "prefix".into(),
        json!({ "pach": format!("pach://{project}/") }),
    );
    for (k, v) in doc {
        out.insert(k.into(), Value::Object(v));
    }
    serde_json::to_string_pretty(&Value::Object(out)).expect("plain data serialises")
}

/// Returns the OpenLineage run id of a run record: its first 16 bytes as a UUID.
pub fn run_uuid(r: &RunNode) -> String {
    let h = r.run.hex();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Renders each run as one OpenLineage `RunEvent` (COMPLETE, or FAIL for a non-zero exit),
/// one JSON object a line, job = stage and datasets = project paths.
pub fn openlineage(g: &Graph, project: &str) -> String {
    let ns = format!("pach://{project}");
    let mut runs: Vec<&RunNode> = g.runs().collect();
    runs.sort_by_key(|r| (r.record.end_ms, r.run));
    let purged: BTreeMap<_, &Purged> = g
        .files()
        .filter_map(|f| f.purged.as_ref().map(|p| (f.object, p)))
        .collect();
    let mut out = String::new();
    for r in runs {
        let rec = &r.record;
        let ds = |path: &str, id: &crate::store::ObjectId| {
            let mut d = json!({ "namespace": ns, "name": path });
            if let Some(p) = purged.get(id) {
                d["facets"] = json!({ "pach_purge": {
                    "_producer": PRODUCER, "_schemaURL": PURGE_FACET,
                    "purge": p.purge.hex(), "purgedAt": when(p.time), "reason": p.reason,
                }});
            }
            d
        };
        let ev = json!({
            "eventType": if rec.exit == 0 { "COMPLETE" } else { "FAIL" },
            "eventTime": iso_ms(rec.end_ms),
            "run": { "runId": run_uuid(r) },
            "job": { "namespace": ns, "name": rec.stage },
            "inputs": rec.inputs.iter().map(|i| ds(&i.path, &i.id)).collect::<Vec<_>>(),
            "outputs": rec.outputs.iter().map(|o| ds(&o.path, &o.id)).collect::<Vec<_>>(),
            "producer": PRODUCER,
            "schemaURL": OPENLINEAGE_SCHEMA,
        });
        out.push_str(&serde_json::to_string(&ev).expect("plain data serialises"));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests;
