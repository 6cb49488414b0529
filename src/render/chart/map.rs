//! The geometry of an alignment map: the tree drawn as boxes, one row per
//! objective, indented by depth, each joined to its parent by an elbow and
//! coloured by status, with its progress as a bar along its foot. The
//! nested list beside it says the same in words.

use serde::Serialize;

use super::coordinate;

const ROW: f64 = 30.0;
const INDENT: f64 = 22.0;
const BOX_HEIGHT: f64 = 24.0;
const BOX_WIDTH: f64 = 300.0;
const TITLE_CHARS: usize = 44;
/// Trees larger than this are left to the list: a map of them would not
/// fit a screen or a page.
pub const MAP_LIMIT: usize = 250;

/// One objective of the tree, in the order of the list (parents first).
pub struct MapEntry {
    pub depth: usize,
    pub title: String,
    /// A status class (`on-track`).
    pub status: &'static str,
    pub score: Option<f64>,
}

#[derive(Serialize)]
pub struct Node {
    pub x: String,
    pub y: String,
    pub text_x: String,
    pub text_y: String,
    pub bar_y: String,
    pub bar_width: String,
    pub title: String,
    pub status: &'static str,
}

#[derive(Serialize)]
pub struct Map {
    pub width: f64,
    pub height: f64,
    pub box_width: f64,
    pub box_height: f64,
    pub nodes: Vec<Node>,
    /// The `d` attribute of each elbow from a parent to a child.
    pub edges: Vec<String>,
}

/// The map of `entries`, or `None` for an empty tree or one over
/// [`MAP_LIMIT`].
pub fn map(entries: &[MapEntry]) -> Option<Map> {
    if entries.is_empty() || entries.len() > MAP_LIMIT {
        return None;
    }
    let mut nodes = Vec::with_capacity(entries.len());
    let mut edges = Vec::new();
    // The row of the latest entry at each depth: a child's parent.
    let mut last_at: Vec<usize> = Vec::new();
    let mut deepest = 0;
    for (row, entry) in entries.iter().enumerate() {
        let x = 4.0 + INDENT * entry.depth as f64;
        let y = 4.0 + ROW * row as f64;
        last_at.truncate(entry.depth);
        if let Some(&parent) = last_at.last() {
            let px = 4.0 + INDENT * (entry.depth - 1) as f64 + 10.0;
            let py = 4.0 + ROW * parent as f64 + BOX_HEIGHT;
            edges.push(format!(
                "M{} {}V{}H{}",
                coordinate(px),
                coordinate(py),
                coordinate(y + BOX_HEIGHT / 2.0),
                coordinate(x)
            ));
        }
        last_at.push(row);
        deepest = deepest.max(entry.depth);
        let mut title: String = entry.title.chars().take(TITLE_CHARS).collect();
        if entry.title.chars().count() > TITLE_CHARS {
            title.push('…');
        }
        nodes.push(Node {
            x: coordinate(x),
            y: coordinate(y),
            text_x: coordinate(x + 6.0),
            text_y: coordinate(y + 16.0),
            bar_y: coordinate(y + BOX_HEIGHT - 3.0),
            bar_width: coordinate(BOX_WIDTH * entry.score.unwrap_or(0.0).clamp(0.0, 1.0)),
            title,
            status: entry.status,
        });
    }
    Some(Map {
        width: 8.0 + INDENT * deepest as f64 + BOX_WIDTH,
        height: 8.0 + ROW * entries.len() as f64,
        box_width: BOX_WIDTH,
        box_height: BOX_HEIGHT,
        nodes,
        edges,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(depth: usize, title: &str) -> MapEntry {
        MapEntry {
            depth,
            title: title.to_string(),
            status: "on-track",
            score: Some(0.5),
        }
    }

    #[test]
    fn children_hang_from_their_parent_and_siblings_share_it() {
        let map = map(&[
            entry(0, "Top"),
            entry(1, "A"),
            entry(2, "A1"),
            entry(1, "B"),
        ])
        .unwrap();
        assert_eq!(map.nodes.len(), 4);
        assert_eq!(map.edges.len(), 3);
        // B hangs from Top (row 0), not from A1.
        assert_eq!(map.edges[2], "M14.0 28.0V106.0H26.0");
        assert_eq!(map.nodes[1].bar_width, "150.0");
        let long = "x".repeat(60);
        assert!(
            super::map(&[entry(0, &long)]).unwrap().nodes[0]
                .title
                .ends_with('…')
        );
        let many: Vec<MapEntry> = (0..=MAP_LIMIT).map(|_| entry(0, "o")).collect();
        assert!(super::map(&many).is_none());
    }
}
