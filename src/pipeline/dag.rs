//! The dependency graph between stages: which stage reads what another writes, and an order to
//! run them in. Stages are linked through paths only; nothing here looks at data.

use super::{Stage, overlaps};

/// Tells whether stage `b` reads what stage `a` writes.
///
/// That is the case when one of `b`'s input paths is at or under `a`'s output, or `a`'s
/// output lies under one of `b`'s input paths. Callers skip `a == b`: a stage whose input
/// overlaps its own output is rejected by the parser.
pub fn depends_on(b: &Stage, a: &Stage) -> bool {
    b.inputs.iter().any(|i| overlaps(&i.path, &a.output))
}

/// Returns the indices of the stages that stage `i` depends on directly, in file order.
pub fn upstream(stages: &[Stage], i: usize) -> Vec<usize> {
    (0..stages.len())
        .filter(|&j| j != i && depends_on(&stages[i], &stages[j]))
        .collect()
}

/// Returns stage indices in an order where every stage comes after the stages it depends on.
///
/// Stable: whenever several stages are ready, the first in file order goes next. On a cycle,
/// returns the names along it in the direction data flows, starting and ending with the
/// first stage of the cycle in file order, e.g. `["a", "b", "a"]`.
pub fn order(stages: &[Stage]) -> Result<Vec<usize>, Vec<String>> {
    let ups: Vec<Vec<usize>> = (0..stages.len()).map(|i| upstream(stages, i)).collect();
    let mut done = vec![false; stages.len()];
    let mut out = Vec::with_capacity(stages.len());
    while out.len() < stages.len() {
        let ready = (0..stages.len()).find(|&i| !done[i] && ups[i].iter().all(|&j| done[j]));
        match ready {
            Some(i) => {
                done[i] = true;
                out.push(i);
            }
            None => return Err(find_cycle(stages, &ups, &done)),
        }
    }
    Ok(out)
}

/// Walks upstream from the first stage not yet ordered until a stage repeats.
///
/// Every stage left over has an upstream stage that is also left over (otherwise it would
/// have been ready), so the walk always finds a cycle.
fn find_cycle(stages: &[Stage], ups: &[Vec<usize>], done: &[bool]) -> Vec<String> {
    let mut path: Vec<usize> = Vec::new();
    let mut cur = (0..stages.len()).find(|&i| !done[i]);
    while let Some(i) = cur {
        if let Some(k) = path.iter().position(|&p| p == i) {
            path.drain(..k);
            break;
        }
        path.push(i);
        cur = ups[i].iter().copied().find(|&j| !done[j]);
    }
    // The walk went against the data flow; turn it round and start at the first stage.
    path.reverse();
    if let Some(min) = path
        .iter()
        .enumerate()
        .min_by_key(|(_, i)| **i)
        .map(|(k, _)| k)
    {
        path.rotate_left(min);
    }
    let mut names: Vec<String> = path.iter().map(|&i| stages[i].name.clone()).collect();
    if let Some(first) = names.first().cloned() {
        names.push(first);
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{Combine, Glob, Input};

    fn stage(name: &str, inputs: &[&str], output: &str) -> Stage {
        Stage {
            name: name.into(),
            image: "img:1".into(),
            cmd: vec!["true".into()],
            output: output.into(),
            parallelism: None,
            env: Default::default(),
            network: false,
            fresh: false,
            timeout: None,
            retries: 0,
            combine: Combine::Cross,
            inputs: inputs
                .iter()
                .enumerate()
                .map(|(k, p)| Input {
                    name: format!("in{k}"),
                    path: (*p).into(),
                    glob: Glob::parse("/").unwrap(),
                    join_on: None,
                })
                .collect(),
            line: 1,
        }
    }

    #[test]
    fn order_puts_producers_first_and_keeps_file_order_otherwise() {
        let stages = vec![
            stage("total", &["counts"], "total"),
            stage("other", &["data/x"], "other"),
            stage("count", &["data/text"], "counts"),
        ];
        assert_eq!(order(&stages).unwrap(), vec![1, 2, 0]);
        assert_eq!(upstream(&stages, 0), vec![2]);
        assert!(upstream(&stages, 2).is_empty());
    }

    #[test]
    fn an_output_under_an_input_path_is_a_dependency() {
        let stages = vec![
            stage("all", &["results"], "summary"),
            stage("part", &["data"], "results/part"),
        ];
        assert_eq!(upstream(&stages, 0), vec![1]);
        assert_eq!(order(&stages).unwrap(), vec![1, 0]);
    }

    #[test]
    fn independent_stages_keep_file_order() {
        let stages = vec![stage("b", &["x"], "bo"), stage("a", &["y"], "ao")];
        assert_eq!(order(&stages).unwrap(), vec![0, 1]);
    }

    #[test]
    fn a_cycle_is_named_in_data_flow_order() {
        let stages = vec![stage("a", &["bo"], "ao"), stage("b", &["ao"], "bo")];
        assert_eq!(order(&stages).unwrap_err(), vec!["a", "b", "a"]);
    }

    #[test]
    fn a_longer_cycle_starts_at_its_first_stage() {
        let stages = vec![
            stage("z", &["data"], "zo"),
            stage("c", &["bo"], "co"),
            stage("a", &["co", "zo"], "ao"),
            stage("b", &["ao"], "bo"),
            stage("d", &["co"], "do"),
        ];
        // Data flows a -> b -> c -> a; `d` hangs off the cycle and is not part of it.
        assert_eq!(order(&stages).unwrap_err(), vec!["c", "a", "b", "c"]);
    }
}
