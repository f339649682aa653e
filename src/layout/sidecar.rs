//! The layout sidecar file: user-dragged positions stored next to the ASL file as `NAME.layout.json`,
//! `{"version":1,"positions":{"StateName":{"x":10.0,"y":20.0}}}`.

use super::geometry::Point;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The sidecar's contents: top-left corners of pinned states, by state name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayoutFile {
    pub version: u32,
    #[serde(default)]
    pub positions: BTreeMap<String, Point>,
}

impl Default for LayoutFile {
    fn default() -> Self {
        LayoutFile {
            version: Self::VERSION,
            positions: BTreeMap::new(),
        }
    }
}

impl LayoutFile {
    /// The format version this code writes.
    pub const VERSION: u32 = 1;

    /// Reads a sidecar; a newer `version` than ours is refused.
    pub fn load(path: &Path) -> Result<LayoutFile, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let file: LayoutFile =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        if file.version > Self::VERSION {
            return Err(format!(
                "{}: layout version {} is newer than this program understands ({})",
                path.display(),
                file.version,
                Self::VERSION
            ));
        }
        Ok(file)
    }

    /// Writes the sidecar atomically ([`crate::fsutil::write_atomic`]).
    pub fn save(&self, path: &Path) -> Result<(), String> {
        let mut text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        text.push('\n');
        crate::fsutil::write_file(path, text.as_bytes())
    }
}

/// `orders.asl.json` → `orders.layout.json`; `flow.yaml` → `flow.layout.json`.
pub fn sidecar_path(asl_path: &Path) -> PathBuf {
    let name = asl_path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("machine");
    let mut stem = name;
    for ext in [".json", ".yaml", ".yml", ".JSON", ".YAML", ".YML"] {
        if let Some(s) = stem.strip_suffix(ext) {
            stem = s;
            break;
        }
    }
    let stem = stem.strip_suffix(".asl").unwrap_or(stem);
    asl_path.with_file_name(format!("{stem}.layout.json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_names() {
        let dir = std::env::temp_dir().join(format!("statewright-sidecar-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("m.layout.json");
        let mut f = LayoutFile::default();
        f.positions.insert("A".into(), Point::new(1.5, 2.0));
        f.save(&path).unwrap();
        assert_eq!(LayoutFile::load(&path).unwrap(), f);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("\"version\": 1"), "{text}");
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(
            sidecar_path(Path::new("/a/orders.asl.json")),
            Path::new("/a/orders.layout.json")
        );
        assert_eq!(
            sidecar_path(Path::new("flow.yaml")),
            Path::new("flow.layout.json")
        );
    }
}
