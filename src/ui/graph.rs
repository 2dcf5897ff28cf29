//! The history graph of `pach log --graph`: one column per line of descent, `*` for the
//! commit, `|` for lines passing by, and connector rows where a merge opens a line (`\`) or
//! lines join (`/`), as `git log --graph` draws them.

use crate::store::ObjectId;

/// Draws the graph of `commits` (newest first, every child before its parents; each with its
/// parents). Returns, per commit, the prefix of its own row and the connector rows that
/// follow it.
pub fn graph(commits: &[(ObjectId, Vec<ObjectId>)]) -> Vec<(String, Vec<String>)> {
    let mut lanes: Vec<ObjectId> = Vec::new();
    let mut out = Vec::new();
    for (id, parents) in commits {
        let col = match lanes.iter().position(|l| l == id) {
            Some(c) => c,
            None => {
                lanes.push(*id);
                lanes.len() - 1
            }
        };
        let row: String = (0..lanes.len())
            .map(|j| if j == col { "* " } else { "| " })
            .collect();
        let mut connectors = Vec::new();
        match parents.split_first() {
            None => {
                lanes.remove(col);
            }
            Some((first, rest)) => {
                lanes[col] = *first;
                let mut at = col;
                for p in rest {
                    match lanes.iter().position(|l| l == p) {
                        // The parent already has a line: an edge towards it.
                        Some(k) => {
                            let (pos, ch) = if k > col {
                                (2 * col + 1, '\\')
                            } else {
                                (2 * col - 1, '/')
                            };
                            connectors.push(connector(lanes.len(), &[(pos, ch)], &[]));
                        }
                        None => {
                            at += 1;
                            lanes.insert(at, *p);
                            connectors.push(connector(lanes.len(), &[(2 * at - 1, '\\')], &[at]));
                        }
                    }
                }
            }
        }
        // Lines now waiting for the same commit (it has several children) join.
        let joined: Vec<usize> = (0..lanes.len())
            .filter(|&j| lanes[..j].contains(&lanes[j]))
            .collect();
        if !joined.is_empty() {
            let marks: Vec<(usize, char)> = joined.iter().map(|&j| (2 * j - 1, '/')).collect();
            connectors.push(connector(lanes.len(), &marks, &joined));
            for j in joined.into_iter().rev() {
                lanes.remove(j);
            }
        }
        out.push((row, connectors));
    }
    out
}

/// A connector row over `lanes` lines: `|` for each line, `marks` placed at their columns,
/// and no `|` for the lines in `blank` (just opened or just joined).
fn connector(lanes: usize, marks: &[(usize, char)], blank: &[usize]) -> String {
    let mut row: Vec<char> = (0..lanes).flat_map(|_| ['|', ' ']).collect();
    for &j in blank {
        row[2 * j] = ' ';
    }
    for &(pos, ch) in marks {
        row[pos] = ch;
    }
    row.into_iter().collect::<String>().trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> ObjectId {
        ObjectId::of(&[n])
    }

    #[test]
    fn a_merge_opens_a_line_and_the_fork_point_closes_it() {
        // 4 merges 3 into 2; 2 and 3 both come from 1.
        let commits = vec![
            (id(4), vec![id(2), id(3)]),
            (id(3), vec![id(1)]),
            (id(2), vec![id(1)]),
            (id(1), vec![]),
        ];
        let g = graph(&commits);
        let rows: Vec<&str> = g.iter().map(|(r, _)| r.trim_end()).collect();
        assert_eq!(rows, ["*", "| *", "* |", "*"]);
        assert_eq!(g[0].1, ["|\\"]);
        assert_eq!(g[1].1, Vec::<String>::new());
        assert_eq!(g[2].1, ["|/"]);
        assert_eq!(g[3].1, Vec::<String>::new());
    }

    #[test]
    fn a_straight_history_is_one_column() {
        let commits = vec![(id(2), vec![id(1)]), (id(1), vec![])];
        let g = graph(&commits);
        assert!(g.iter().all(|(r, c)| r.trim_end() == "*" && c.is_empty()));
    }
}
